#include "platform/files.hpp"
#include "platform/locks.hpp"
#include "platform/processes.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("platform: run_shell_command captures status, output and environment, and enforces its timeout") {
    SECTION("status, stdout, stderr and added environment, given to the command only") {
#ifdef _WIN32
        const auto result = platform::run_shell_command("echo out %GREETING%& >&2 echo err& exit 3", 10s,
                                                        {{"GREETING", "hello"}});
#else
        const auto result = platform::run_shell_command("echo \"out $GREETING\"; echo err >&2; exit 3", 10s,
                                                        {{"GREETING", "hello"}});
#endif
        CHECK(result.exit_code == 3);
        CHECK_FALSE(result.timed_out);
        CHECK(test::unix_newlines(result.out) == "out hello\n");
        CHECK(test::unix_newlines(result.err) == "err\n");
        CHECK(std::getenv("GREETING") == nullptr);
    }
#ifdef _WIN32
    SECTION("a command outliving its timeout is killed with everything it started") {
        test::TempDir dir;
        const std::string server = test::helper_binary("soniabk-test-health-server").string();
        const auto port_file = dir / "port";
        const auto started = std::chrono::steady_clock::now();
        const auto result = platform::run_shell_command(
            "\"" + server + "\" \"" + port_file.string() + "\" --status 200 & echo late", 3s);
        CHECK(result.timed_out);
        CHECK(result.exit_code == -1);
        CHECK(std::chrono::steady_clock::now() - started < 10s);
        CHECK(result.out.empty());
        REQUIRE_FALSE(test::read_text(port_file).empty());  // the server the shell started was up
        CHECK(platform::run_shell_command("exit 0", 10s).exit_code == 0);
    }
    return;  // the rest needs sleep(1) and a POSIX shell
#endif
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

TEST_CASE("platform: private temp directories, owner and mode copies, running processes") {
    test::TempDir dir;
    const fs::path a = platform::create_private_temp_directory(dir.path(), "drill-");
    const fs::path b = platform::create_private_temp_directory(dir.path(), "drill-");
    CHECK(a != b);
    CHECK(platform::is_owner_only(a));
    CHECK(a.filename().string().starts_with("drill-"));
    test::write_text(dir / "open", "anyone");
    CHECK_FALSE(platform::is_owner_only(dir / "open"));
    platform::make_owner_only(dir / "open");
    CHECK(platform::is_owner_only(dir / "open"));

    CHECK(platform::process_exists(platform::current_process_id()));
    test::Child done({test::helper_binary("soniabk-test-writer").string()});  // no arguments: exits at once
    const int pid = done.pid();
    done.wait();
    CHECK_FALSE(platform::process_exists(pid));

    SONIABK_SKIP_ON_WINDOWS("a Windows file takes its folder's ACL: there is no owner and mode to copy");
#ifndef _WIN32
    struct stat st {};
    test::write_text(dir / "old", "old");
    test::write_text(dir / "new", "new");
    ::chmod((dir / "old").c_str(), 0640);
    platform::copy_owner_and_mode(dir / "old", dir / "new");
    REQUIRE(::stat((dir / "new").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
#endif
}

TEST_CASE("platform: range_lock_holder names the process holding a lock on a byte range, without locking") {
    SONIABK_SKIP_ON_WINDOWS("the lock holder is a forked child; Windows' lock probe is tested through restore's holder");
#ifndef _WIN32
    test::TempDir dir;
    const auto file = dir / "locked";
    test::write_text(file, "locked");
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // holds a write lock on bytes [100, 110) until killed
        const int fd = ::open(file.c_str(), O_RDWR);
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = 100;
        lock.l_len = 10;
        const char status = fd >= 0 && ::fcntl(fd, F_SETLK, &lock) == 0 ? 'y' : 'n';
        [[maybe_unused]] const ssize_t n = ::write(ready[1], &status, 1);
        for (;;) ::pause();
    }
    struct Reaper {  // the child must not outlive a failed REQUIRE
        pid_t pid;
        void stop() {
            if (pid <= 0) return;
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            pid = -1;
        }
        ~Reaper() { stop(); }
    } reaper{child};
    ::close(ready[1]);
    char status = 0;
    REQUIRE(::read(ready[0], &status, 1) == 1);
    ::close(ready[0]);
    REQUIRE(status == 'y');

    const auto holder = platform::range_lock_holder(file, 105, 100);
    CHECK((holder && holder->pid == child));
    CHECK_FALSE(platform::range_lock_holder(file, 0, 100));
    CHECK_FALSE(platform::range_lock_holder(file, 110, 1));
    CHECK_FALSE(platform::range_lock_holder(dir / "missing", 0, 1));
    reaper.stop();
    CHECK_FALSE(platform::range_lock_holder(file, 100, 10));
#endif
}
