#include "commands/backup.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string backup(const fs::path& repo, const fs::path& db) {
    test::init_repo(repo);
    BackupDbOptions options;
    options.repo = repo;
    options.db = db;
    options.format = BackupFormat::files;  // these cases are about stored files
    return backup_database(options).manifest.backup_id;
}

struct RestoreSetup {
    test::TempDir dir;
    fs::path repo = dir / "repo";
    fs::path live = dir / "live" / "memory.db";
    std::string backup_id;

    // A backup of 40 memories, and a different live database (10 memories) to restore over.
    RestoreSetup() {
        fs::create_directories(live.parent_path());
        test::create_sample_db(dir / "memory.db", {.memories = 40});
        backup_id = backup(repo, dir / "memory.db");
        test::create_sample_db(live, {.memories = 10});
    }

    test::ProcessResult restore(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        std::vector<std::string> all{"restore", "--json", "--repo", repo.string(), "--db", live.string()};
        all.insert(all.end(), args.begin(), args.end());
        return test::run_soniabk(all, {env, {}, {}});
    }
};

// The target holds the old database (the writer's ledger, all of it) or the restored one (40 memories),
// and passes integrity_check either way.
void check_old_or_new(const fs::path& target, long committed) {
    Database db = Database::open(target, Database::Mode::read_write);
    CHECK(db.query_text("PRAGMA integrity_check") == "ok");
    if (db.has_table("memories")) {
        CHECK(db.query_int("SELECT count(*) FROM memories") == 40);
        CHECK_FALSE(db.has_table("ledger"));
    } else {
        const auto seq = db.query_int("SELECT seq FROM counter").value_or(-1);
        CHECK(seq >= committed);
        CHECK(db.query_int("SELECT count(*) FROM ledger") == 3 * seq);
    }
}

}  // namespace


TEST_CASE("cli restore: --json restores and reports its documented fields, in order") {
    RestoreSetup s;
    const auto r = s.restore({"--latest"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const Json json = Json::parse(r.out);
    std::vector<std::string> keys;
    for (const auto& item : json.items()) keys.push_back(item.key());
    CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 8) ==
          std::vector<std::string>{"ok", "backup_id", "target", "replaced_path", "steps", "duration_seconds",
                                   "rto_target_seconds", "within_rto"});
    CHECK(json["ok"] == true);
    CHECK(json["backup_id"] == s.backup_id);
    CHECK(json["target"] == s.live.string());
    CHECK(json["within_rto"] == true);
    for (const auto& step : json["steps"]) {
        CHECK(step.size() == 5);
        CHECK(step["duration_seconds"].is_number());
    }
    CHECK(test::count_rows(s.live, "memories") == 40);
    CHECK(test::count_rows(json["replaced_path"].get<std::string>(), "memories") == 10);
}

TEST_CASE("cli restore: a corrupted backup is refused and the live database is untouched") {
    RestoreSetup s;
    for (const auto& item : fs::directory_iterator(s.repo / "db")) {
        if (item.path().extension() != ".db") continue;
        std::fstream f(item.path(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(5000);
        f.put('\x7f');
    }
    const std::string before = bytes_of(s.live);
    const auto r = s.restore({});
    CHECK(r.exit_code == 1);
    const Json json = Json::parse(r.out);
    CHECK(json["ok"] == false);
    CHECK(json["error"]["code"] == "backup_damaged");
    CHECK_THAT(r.err, Catch::Contains("SHA-256"));
    CHECK(bytes_of(s.live) == before);
    CHECK(std::distance(fs::directory_iterator(s.live.parent_path()), fs::directory_iterator()) == 1);
}

TEST_CASE("cli restore: a target held open by another process is refused, naming it") {
    RestoreSetup s;
    test::Child holder = test::hold_database_open(s.live, s.dir.path());
    const std::string before = bytes_of(s.live);
    const auto r = s.restore({});
    CHECK(r.exit_code == 3);
    const Json json = Json::parse(r.out);
    CHECK(json["error"]["code"] == "target_in_use");
    // Wine's Restart Manager names no process: only SQLite's lock shows someone holds it.
    const std::string holder_named = test::running_under_wine() ? "another process" : "pid " + std::to_string(holder.pid());
    CHECK_THAT(json["error"]["message"].get<std::string>(), Catch::Contains(holder_named));
    CHECK(bytes_of(s.live) == before);
}

TEST_CASE("cli restore: --dry-run changes nothing, --at selects, bad input is a usage error") {
    RestoreSetup s;
    const std::string before = bytes_of(s.live);
    SECTION("--dry-run") {
        const auto r = s.restore({"--dry-run"});
        REQUIRE(r.exit_code == 0);
        const Json json = Json::parse(r.out);
        CHECK(json["dry_run"] == true);
        CHECK(json["plan"].back()["action"] == "rename");
        CHECK(bytes_of(s.live) == before);
        CHECK(std::distance(fs::directory_iterator(s.live.parent_path()), fs::directory_iterator()) == 1);
        const auto human = test::run_soniabk({"restore", "--dry-run", "--repo", s.repo.string(), "--db", s.live.string()});
        CHECK_THAT(human.out, Catch::Contains("would link") && Catch::Contains("nothing was changed"));
    }
    SECTION("--at before every backup") {
        const auto r = s.restore({"--at", "2000-01-01T00:00:00Z"});
        CHECK(r.exit_code == 3);
        CHECK(Json::parse(r.out)["error"]["code"] == "no_backup");
    }
    SECTION("--at now finds the backup; an id prefix too") {
        CHECK(Json::parse(s.restore({"--at", "2100-01-01", "--dry-run"}).out)["backup_id"] == s.backup_id);
        CHECK(Json::parse(s.restore({s.backup_id.substr(0, 12), "--dry-run"}).out)["backup_id"] == s.backup_id);
    }
    SECTION("usage errors") {
        CHECK(s.restore({"--at", "yesterday"}).exit_code == 2);
        CHECK(s.restore({s.backup_id, "--latest"}).exit_code == 2);
        CHECK(s.restore({"--check", "sometimes"}).exit_code == 2);
        CHECK(test::run_soniabk({"restore", "--repo", s.repo.string()}).exit_code == 2);
    }
}

namespace {

// Kills a real restore at fault point `point`, checks the target, reruns the restore and checks again.
void kill_and_rerun(const std::string& point) {
    INFO("fault point " << point);
    RestoreSetup s;
    // The old database: a writer killed mid-flight with checkpoints off, so its last commits live in the WAL.
    fs::remove(s.live);
    const fs::path progress = s.dir / "progress";
    test::Child writer = test::start_writer(s.live, progress, 50, "0");
    writer.kill(SIGKILL);
    writer.wait();
    const long committed = std::stol(test::read_text(progress));
    REQUIRE(fs::file_size(s.live.string() + "-wal") > 0);

    const auto killed = s.restore({"--stop-cmd", test::shell_exit(0), "--start-cmd", test::shell_exit(0)}, {{"SONIABK_FAULT", point}});
    REQUIRE(killed.signal == SIGKILL);
    check_old_or_new(s.live, committed);

    const auto rerun = s.restore({});
    INFO(rerun.out << rerun.err);
    REQUIRE(rerun.exit_code == 0);
    check_old_or_new(s.live, committed);
    CHECK(test::count_rows(s.live, "memories") == 40);
    for (const auto& item : fs::directory_iterator(s.live.parent_path())) {
        CHECK_FALSE(item.path().filename().string().starts_with(".memory.db.tmp-"));
    }
}

}  // namespace

// Every fault point of a restore, in order, split over four test cases to keep each one short.
TEST_CASE("cli restore: killed while preparing the copy, the target is the old database, and a rerun completes") {
    kill_and_rerun(GENERATE("restore.choose_backup", "restore.clear_stale_temps", "restore.check_space",
                            "extract.chunk", "restore.copy_to_temp"));
}

TEST_CASE("cli restore: killed while checking the copy or stopping services, a rerun completes") {
    kill_and_rerun(GENERATE("restore.integrity_check", "restore.set_journal_mode", "restore.lock_target",
                            "restore.stop_services", "restore.check_target_free"));
}

TEST_CASE("cli restore: killed while keeping the old database aside, the target is whole, and a rerun completes") {
    kill_and_rerun(GENERATE("restore.settle_old_database", "restore.keep_aside.linked", "restore.keep_old_database",
                            "restore.swap.sidecars_removed"));
}

TEST_CASE("cli restore: killed at or after the swap, the target is the new database, and a rerun completes") {
    kill_and_rerun(GENERATE("publish.before_rename", "restore.swap", "restore.start_services", "restore.health_check"));
}
