#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "services.hpp"
#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#ifdef __linux__
#include <sys/mount.h>
#endif

using namespace soniabk;
using namespace soniabk::test;
using namespace std::chrono_literals;

namespace {

// One line on stderr, no stack trace, naming what is wrong.
void check_one_line(const ProcessResult& r, const std::string& must_contain) {
    INFO("stderr: " << r.err);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::StartsWith("soniabk: ") && Catch::Contains(must_contain));
}

// A tmpfs mounted for the test (Linux, root only); unmounted on destruction. Windows has no such small volume
// a test can make: the tests using it say so and stop (full disks there: the injected ENOSPC of test_cli_io_faults).
struct TmpfsMount {
    fs::path at;
    bool mounted = false;
    TmpfsMount(fs::path where, [[maybe_unused]] const char* options) : at(std::move(where)) {
        fs::create_directories(at);
#ifdef __linux__
        mounted = ::mount("tmpfs", at.c_str(), "tmpfs", 0, options) == 0;
#endif
    }
    bool remount_read_only() {
#ifdef __linux__
        return mounted && ::mount(nullptr, at.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
#else
        return false;
#endif
    }
    ~TmpfsMount() {
#ifdef __linux__
        if (mounted) ::umount2(at.c_str(), MNT_DETACH);
#endif
    }
};

}  // namespace

TEST_CASE("cli errors: bad input gets one clear line and the documented exit code") {
    CliFixture f;
    init_repo(f.repo);
    SECTION("missing database: exit 3, path named") {
        const ProcessResult r = run_soniabk({"backup", "db", "--repo", f.repo.string(), "--db", (f.dir / "nope.db").string()});
        CHECK(r.exit_code == 3);
        check_one_line(r, "nope.db: no such database file");
        CHECK((!fs::exists(f.repo / "db") || fs::is_empty(f.repo / "db")));
    }
    SECTION("a file that is not SQLite") {
        write_text(f.dir / "notes.txt", "just some notes, certainly not a database file at all");
        const ProcessResult r = run_soniabk({"backup", "db", "--repo", f.repo.string(), "--db", (f.dir / "notes.txt").string()});
        CHECK(r.exit_code == 3);
        check_one_line(r, "notes.txt: not a SQLite database");
    }
    SECTION("no repository configured: usage error") {
        const ProcessResult r = run_soniabk({"list"});
        CHECK(r.exit_code == 2);
        check_one_line(r, "--repo");
    }
    SECTION("a repository path that runs through a file") {
        write_text(f.dir / "plainfile", "x");
        const ProcessResult r = run_soniabk({"backup", "db", "--repo", (f.dir / "plainfile" / "repo").string(), "--db", f.db.string()});
        CHECK(r.exit_code == 2);
        check_one_line(r, "plainfile");
    }
    SECTION("unknown option: usage error") {
        const ProcessResult r = f.run({"backup", "db", "--colour"});
        CHECK(r.exit_code == 2);
        check_one_line(r, "--colour");
    }
    SECTION("mistyped command suggests the nearest") {
        const ProcessResult r = run_soniabk({"verfy"});
        CHECK(r.exit_code == 2);
        check_one_line(r, "did you mean 'verify'");
    }
    SECTION("--json failures are one JSON document on stdout") {
        const ProcessResult r = run_soniabk({"backup", "db", "--json", "--repo", f.repo.string(), "--db", (f.dir / "nope.db").string()});
        CHECK(r.exit_code == 3);
        const Json doc = Json::parse(r.out);
        CHECK(doc["ok"] == false);
        CHECK(doc["error"]["code"] == "db_missing");
        CHECK_THAT(doc["error"]["message"].get<std::string>(), Catch::Contains("nope.db"));
    }
    SECTION("--json usage errors too, wherever --json stands") {
        const ProcessResult r = run_soniabk({"--json", "verify", "--max-age", "forever", "--repo", f.repo.string()});
        CHECK(r.exit_code == 2);
        CHECK(Json::parse(r.out)["error"]["code"] == "usage");
    }
}

TEST_CASE("cli errors: a database locked past the busy timeout") {
    CliFixture f({.wal = false});
    init_repo(f.repo);
    Child locker = hold_database_open(f.db, f.dir.path(), Hold::exclusive_lock);
    // Wait until the lock really keeps a reader out.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        REQUIRE(locker.running());
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        Database probe = Database::open(f.db, Database::Mode::read_only, 0ms);
        try {
            probe.query_int("SELECT count(*) FROM memories");
        } catch (const Error& e) {
            if (e.code() == "locked") break;
            throw;
        }
        std::this_thread::sleep_for(20ms);
    }
    const ProcessResult r = f.run({"backup", "db", "--busy-timeout", "300ms"});
    CHECK(r.exit_code == 3);
    check_one_line(r, "locked");
    // The file and the lock, in words: not the SQL statement that met it.
    CHECK_THAT(r.err, Catch::Contains(f.db.string() + ": locked") && Catch::Contains("SQLite's exclusive lock on memory.db") &&
                          Catch::Contains("300ms busy timeout"));
    for (const char* sql : {"BEGIN", "SELECT", "PRAGMA", "database is locked"}) CHECK_THAT(r.err, !Catch::Contains(sql));
    CHECK(f.files().empty());
}

TEST_CASE("cli errors: a full disk leaves no backup, complete-looking or partial") {
    CliFixture f({.memories = 4000});
    REQUIRE(fs::file_size(f.db) > 512 * 1024);
    TmpfsMount small(f.dir / "small", "size=256k");
    if (!small.mounted) {
        WARN("cannot mount tmpfs here (not root, or not Linux): full-disk test skipped");
        return;
    }
    const fs::path repo = small.at / "repo";
    init_repo(repo);
    const ProcessResult r = run_soniabk({"backup", "db", "--repo", repo.string(), "--db", f.db.string()});
    CHECK(r.exit_code == 3);
    check_one_line(r, "disk full");
    CHECK(fs::is_empty(repo / "db"));
}

TEST_CASE("cli errors: an unwritable repository") {
    CliFixture f;
    init_repo(f.repo);
    TmpfsMount readonly(f.dir / "ro", "size=1m,mode=0755");
    if (readonly.mounted) init_repo(readonly.at / "repo");
    if (!readonly.remount_read_only()) {
        WARN("cannot mount a read-only tmpfs here (not root, or not Linux): test skipped");
        return;
    }
    const ProcessResult r = run_soniabk({"backup", "db", "--repo", (readonly.at / "repo").string(), "--db", f.db.string()});
    CHECK(r.exit_code == 3);
    check_one_line(r, "repo");
}

TEST_CASE("cli errors: a drill on a read-only repository runs every step and says it could not record itself") {
    CliFixture f;
    TmpfsMount readonly(f.dir / "ro", "size=8m,mode=0755");
    const fs::path repo = readonly.at / "repo";
    if (readonly.mounted) {
        init_repo(repo);
        REQUIRE(run_soniabk({"backup", "db", "--repo", repo.string(), "--db", f.db.string()}).exit_code == 0);
    }
    if (!readonly.remount_read_only()) {
        WARN("cannot mount a read-only tmpfs here (not root, or not Linux): test skipped");
        return;
    }
    const ProcessResult r = run_soniabk({"--json", "drill", "--repo", repo.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const Json drill = Json::parse(r.out);
    CHECK(drill["passed"] == true);
    CHECK(drill["steps"].size() == 5);
    REQUIRE(drill.contains("record_error"));
    CHECK_THAT(drill["record_error"].get<std::string>(), Catch::Contains(repo.string()));
    const ProcessResult human = run_soniabk({"drill", "--repo", repo.string()});
    CHECK_THAT(human.out, Catch::Contains("drill NOT recorded"));
}
