#include "platform/processes.hpp"
#include "sqlite/lock_holder.hpp"
#include "portable.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;

namespace {

// Linux names the lock's holder. Windows says "another process", or the pid where the Restart Manager answers
// (wine's never does).
bool names_holder(const std::optional<std::string>& said, int pid) {
#ifdef _WIN32
    if (said == "another process") return true;
#endif
    return said == "pid " + std::to_string(pid);
}

// Which processes have a file open: /proc on Linux, the Restart Manager on Windows (wine's answers none).
void check_open_by(const std::filesystem::path& db, int pid) {
    const auto said = platform::process_holding_open(db);
    if (!said && test::running_under_wine()) {
        WARN("SKIPPED under wine: its Restart Manager names no process holding " << db.string());
        return;
    }
    CHECK(said == "pid " + std::to_string(pid));
}

}  // namespace

TEST_CASE("sqlite: another process's SQLite connection is visible to sqlite_lock_holder and process_holding_open") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    SECTION("an idle WAL connection holds the wal-index lock") {
        test::create_sample_db(db, {.memories = 3, .wal = true});
        CHECK_FALSE(sqlite_lock_holder(db));
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK(names_holder(sqlite_lock_holder(db), holder.pid()));
        check_open_by(db, holder.pid());
        holder.kill(SIGKILL);
        holder.wait();
        CHECK_FALSE(sqlite_lock_holder(db));
    }
    SECTION("an idle rollback-mode connection holds no lock, but /proc (the Restart Manager) shows it") {
        test::create_sample_db(db, {.memories = 3, .wal = false});
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK_FALSE(sqlite_lock_holder(db));
        check_open_by(db, holder.pid());
    }
}
