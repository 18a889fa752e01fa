#include "platform/platform.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/stat.h>

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("platform: run_shell_command captures status, output and environment, and enforces its timeout") {
    SECTION("status, stdout, stderr and added environment") {
        const auto result = platform::run_shell_command("echo \"out $GREETING\"; echo err >&2; exit 3", 10s,
                                                        {{"GREETING", "hello"}});
        CHECK(result.exit_code == 3);
        CHECK_FALSE(result.timed_out);
        CHECK(result.out == "out hello\n");
        CHECK(result.err == "err\n");
    }
    SECTION("a command outliving its timeout is killed with everything it started") {
        const auto started = std::chrono::steady_clock::now();
        const auto result = platform::run_shell_command("sleep 20; echo late", 300ms);
        CHECK(result.timed_out);
        CHECK(result.exit_code == -1);
        CHECK(std::chrono::steady_clock::now() - started < 5s);
        CHECK(result.out.empty());
    }
    SECTION("a background process keeping stdout open does not hold the caller") {
        const auto started = std::chrono::steady_clock::now();
        const auto result = platform::run_shell_command("sleep 5 & echo started", 10s);
        CHECK(result.exit_code == 0);
        CHECK(result.out == "started\n");
        CHECK(std::chrono::steady_clock::now() - started < 3s);
    }
}

TEST_CASE("platform: another process's SQLite connection is visible to sqlite_lock_holder and process_holding_open") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    SECTION("an idle WAL connection holds the wal-index lock") {
        test::create_sample_db(db, {.memories = 3, .wal = true});
        CHECK_FALSE(platform::sqlite_lock_holder(db));
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK(platform::sqlite_lock_holder(db) == "pid " + std::to_string(holder.pid()));
        CHECK(platform::process_holding_open(db) == "pid " + std::to_string(holder.pid()));
        holder.kill(SIGKILL);
        holder.wait();
        CHECK_FALSE(platform::sqlite_lock_holder(db));
    }
    SECTION("an idle rollback-mode connection holds no lock, but /proc shows it") {
        test::create_sample_db(db, {.memories = 3, .wal = false});
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK_FALSE(platform::sqlite_lock_holder(db));
        CHECK(platform::process_holding_open(db) == "pid " + std::to_string(holder.pid()));
    }
}

TEST_CASE("platform: private temp directories, owner and mode copies, running processes") {
    test::TempDir dir;
    const fs::path a = platform::create_private_temp_directory(dir.path(), "drill-");
    const fs::path b = platform::create_private_temp_directory(dir.path(), "drill-");
    CHECK(a != b);
    struct stat st {};
    REQUIRE(::stat(a.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(a.filename().string().starts_with("drill-"));

    test::write_text(dir / "old", "old");
    test::write_text(dir / "new", "new");
    ::chmod((dir / "old").c_str(), 0640);
    platform::copy_owner_and_mode(dir / "old", dir / "new");
    REQUIRE(::stat((dir / "new").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);

    CHECK(platform::process_is_running(platform::current_process_id()));
    test::Child done({"/bin/true"});
    const int pid = done.pid();
    done.wait();
    CHECK_FALSE(platform::process_is_running(pid));
}
