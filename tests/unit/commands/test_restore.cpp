#include "commands/backup.hpp"
#include "storage/local_storage.hpp"
#include "base/error.hpp"
#include "repo/journal.hpp"
#include "repo_init.hpp"
#include "process.hpp"
#include "repo/repository.hpp"
#include "commands/restore.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "sqlite/sqlite.hpp"
#include "portable.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <thread>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

std::string bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every file under `dir` with its content: the whole state a "changes nothing" promise is about.
std::map<std::string, std::string> tree_of(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& item : fs::recursive_directory_iterator(dir)) {
        if (item.is_regular_file()) files[fs::relative(item.path(), dir).generic_string()] = bytes_of(item.path());
    }
    return files;
}

std::vector<std::string> step_names(const std::vector<StepRecord>& steps) {
    std::vector<std::string> names;
    for (const auto& s : steps) names.push_back(s.step);
    return names;
}

RestoreOptions restore_options(const fs::path& repo, const fs::path& target) {
    RestoreOptions options;
    options.repo = repo;
    options.target = target;
    return options;
}

}  // namespace

TEST_CASE("restore: a good backup brings the rows back and a service-style reader sees them") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    test::create_sample_db(live, {.memories = 50});
    const BackupResult backup = test::backup_files(dir / "repo", live);
    {
        Database db = Database::open(live, Database::Mode::read_write);
        db.exec("DELETE FROM memories WHERE id <= 20");
        db.exec("INSERT INTO memories(content, created_at) VALUES ('written after the backup', '2026-05-01')");
    }
    fs::permissions(live, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);

    const RestoreResult result = restore_database(restore_options(dir / "repo", live));
    INFO(result.to_json().dump(2));
    REQUIRE(result.ok);
    CHECK(result.exit_code() == 0);
    CHECK(result.backup_id == backup.manifest.backup_id);
    CHECK(step_names(result.steps) ==
          std::vector<std::string>{"choose_backup", "clear_stale_temps", "check_space", "copy_to_temp",
                                   "integrity_check", "set_journal_mode", "lock_target", "stop_services",
                                   "check_target_free", "settle_old_database", "keep_old_database", "swap",
                                   "start_services", "health_check"});
    CHECK(result.within_rto);
    CHECK(result.rto_target_seconds == 60);

    SECTION("the reader sees the backup's rows, through FTS too, in WAL mode as before") {
        Database reader = Database::open(live, Database::Mode::read_write);
        CHECK(reader.query_int("SELECT count(*) FROM memories") == 50);
        CHECK(reader.query_int("SELECT count(*) FROM memories WHERE content = 'written after the backup'") == 0);
        CHECK(reader.query_int("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'topic7'") == 1);
        CHECK(reader.query_text("PRAGMA journal_mode") == "wal");
        CHECK(reader.query_text("PRAGMA integrity_check") == "ok");
    }
    SECTION("the replaced database is kept whole beside it, and the restored file keeps the old mode") {
        REQUIRE(result.replaced_path);
        CHECK(result.replaced_path->parent_path() == live.parent_path());
        CHECK(result.replaced_path->filename().string().starts_with("memory-replaced-"));
        CHECK(test::count_rows(*result.replaced_path, "memories") == 31);
#ifndef _WIN32  // Windows files take their folder's ACL: there is no owner and mode to carry over
        CHECK((fs::status(live).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
#endif
    }
    SECTION("no temp file is left and the journal has the restore") {
        for (const auto& item : fs::directory_iterator(dir.path())) {
            CHECK_FALSE(item.path().filename().string().starts_with(".memory.db.tmp-"));
        }
        const auto records = read_journal(storage::LocalStorage(dir / "repo"));
        REQUIRE(records.back().command == "restore");
        CHECK(records.back().ok);
        CHECK(records.back().detail["replaced_path"] == result.replaced_path->string());
    }
}

TEST_CASE("restore: a corrupted backup is refused and the live database stays byte-identical") {
    test::TempDir dir;
    const fs::path live = dir / "live" / "memory.db";
    fs::create_directories(live.parent_path());
    test::create_sample_db(live, {.memories = 30});
    const BackupResult backup = test::backup_files(dir / "repo", live);
    test::flip_byte(backup.path, 3000);
    const auto before = tree_of(live.parent_path());

    const RestoreResult result = restore_database(restore_options(dir / "repo", live));
    REQUIRE_FALSE(result.ok);
    REQUIRE(result.error);
    CHECK(result.error->code == "backup_damaged");
    CHECK_THAT(result.error->message, Catch::Contains(backup.manifest.backup_id) && Catch::Contains("SHA-256"));
    CHECK(result.exit_code() == 1);
    CHECK(result.steps.back().step == "copy_to_temp");
    CHECK_FALSE(result.steps.back().passed);
    CHECK(tree_of(live.parent_path()) == before);
    CHECK_FALSE(result.replaced_path);
}

TEST_CASE("restore: a disk without room for the copy plus the replaced copy is refused before anything is written") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    test::create_sample_db(live, {.memories = 5});
    const BackupResult backup = test::backup_files(dir / "repo", live);
    // A manifest promising a backup far larger than any disk: the space check must refuse it up front.
    Json manifest = Json::parse(test::read_text(backup.manifest_path));
    manifest["size_bytes"] = std::uint64_t{1} << 60;
    test::write_text(backup.manifest_path, manifest.dump());
    const std::string before = bytes_of(live);

    const RestoreResult result = restore_database(restore_options(dir / "repo", live));
    REQUIRE(result.error);
    CHECK(result.error->code == "no_space");
    CHECK_THAT(result.error->message, Catch::Contains(dir.path().string()) && Catch::Contains("free"));
    CHECK(result.exit_code() == 3);
    CHECK(result.steps.back().step == "check_space");
    CHECK(result.space_needed_bytes > result.space_available_bytes);
    CHECK(bytes_of(live) == before);
    for (const auto& item : fs::directory_iterator(dir.path())) {
        const std::string name = item.path().filename().string();
        CHECK((name == "memory.db" || name == "repo"));
    }
}

TEST_CASE("restore: --at picks the newest backup taken at or before the time, --dry-run changes nothing") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    test::create_sample_db(live, {.memories = 10});
    const TimePoint t0 = *parse_iso8601("2026-03-01T02:00:00Z");
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        FixedClock clock(t0 + std::chrono::hours(i));
        ids.push_back(test::backup_files(dir / "repo", live, clock).manifest.backup_id);
        Database db = Database::open(live, Database::Mode::read_write);
        db.exec("INSERT INTO memories(content, created_at) VALUES ('one more', '2026-03-01')");
    }
    RestoreOptions options = restore_options(dir / "repo", live);
    options.selection = RestoreSelection::at;

    SECTION("between two backups: the earlier one") {
        options.at = t0 + 90min;
        const RestoreResult result = restore_database(options);
        REQUIRE(result.ok);
        CHECK(result.backup_id == ids[1]);
        CHECK(test::count_rows(live, "memories") == 11);
    }
    SECTION("exactly at a backup's time: that one") {
        options.at = t0 + 2h;
        CHECK(restore_database(options).backup_id == ids[2]);
    }
    SECTION("before the first backup: refused, nothing changed") {
        options.at = t0 - 1s;
        const auto before = tree_of(dir.path());
        const RestoreResult result = restore_database(options);
        REQUIRE(result.error);
        CHECK(result.error->code == "no_backup");
        CHECK(result.exit_code() == 3);
        auto after = tree_of(dir.path());
        CHECK(after["repo/journal.jsonl"] != before.at("repo/journal.jsonl"));  // the refusal is on record
        after["repo/journal.jsonl"] = before.at("repo/journal.jsonl");
        CHECK(after == before);
    }
    SECTION("--dry-run reports the plan and changes nothing") {
        options.at = t0 + 30min;
        options.dry_run = true;
        const auto before = tree_of(dir.path());
        const RestoreResult result = restore_database(options);
        INFO(result.to_json().dump(2));
        REQUIRE(result.ok);
        CHECK(result.backup_id == ids[0]);
        CHECK(tree_of(dir.path()) == before);
        REQUIRE(result.replaced_path);
        CHECK_FALSE(fs::exists(*result.replaced_path));
        std::vector<std::string> actions;
        for (const auto& move : result.plan) actions.push_back(move.action);
        CHECK(actions.front() == "copy");
        CHECK(std::find(actions.begin(), actions.end(), "link") != actions.end());
        CHECK(actions.back() == "rename");
        CHECK(result.plan.back().to == fs::absolute(live));
        CHECK(result.space_needed_bytes > 0);
        CHECK(result.to_json()["plan"].size() == result.plan.size());
    }
}

TEST_CASE("restore: an old database whose last commits live only in its WAL is kept whole, never mixed in") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    fs::create_directories(dir / "elsewhere");  // the same database, backed up on another host
    test::create_sample_db(dir / "elsewhere" / "memory.db", {.memories = 25});
    test::backup_files(dir / "repo", dir / "elsewhere" / "memory.db");
    // A service killed mid-flight: checkpoints off, so every commit is still in the -wal.
    test::Child writer = test::start_writer(live, dir / "progress", 100, "0");
    writer.kill(SIGKILL);
    writer.wait();
    REQUIRE(fs::file_size(live.string() + "-wal") > 0);
    const long committed = std::stol(test::read_text(dir / "progress"));

    const RestoreResult result = restore_database(restore_options(dir / "repo", live));
    INFO(result.to_json().dump(2));
    REQUIRE(result.ok);
    CHECK_THAT(result.steps[9].detail, Catch::Contains("folded"));
    CHECK_FALSE(fs::exists(live.string() + "-wal"));
    CHECK(test::count_rows(live, "memories") == 25);
    // The replaced copy alone holds every committed transaction of the old database.
    REQUIRE(result.replaced_path);
    CHECK(result.replaced_files.size() == 1);
    Database old = Database::open(*result.replaced_path, Database::Mode::read_only);
    const auto seq = old.query_int("SELECT seq FROM counter").value_or(-1);
    CHECK(seq >= committed);
    CHECK(old.query_int("SELECT count(*) FROM ledger") == 3 * seq);
}

TEST_CASE("restore: a target another process has open is refused unless --force") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    test::create_sample_db(live, {.memories = 12});
    test::backup_files(dir / "repo", live);
    test::Child holder = test::hold_database_open(live, dir.path());
    const std::string before = bytes_of(live);

    RestoreOptions options = restore_options(dir / "repo", live);
    const RestoreResult refused = restore_database(options);
    REQUIRE(refused.error);
    CHECK(refused.error->code == "target_in_use");
    // Wine's Restart Manager names no process: only SQLite's lock shows someone holds it.
    const std::string holder_named = test::running_under_wine() ? "another process" : "pid " + std::to_string(holder.pid());
    CHECK_THAT(refused.error->message, Catch::Contains(holder_named));
    CHECK(refused.exit_code() == 3);
    CHECK(bytes_of(live) == before);
    CHECK_FALSE(refused.replaced_path);

    options.force = true;
    const RestoreResult forced = restore_database(options);
    CHECK_THAT(forced.steps[8].detail, Catch::Contains("--force"));
#ifdef _WIN32
    // Windows cannot rename over a file another process has open: --force gets past the check, not the swap.
    REQUIRE(forced.error);
    CHECK(forced.error->code == "target_in_use");
    CHECK_THAT(forced.error->message, Catch::Contains(live.string()) && Catch::Contains("cannot be removed or replaced"));
    CHECK(forced.exit_code() == 3);
    CHECK(bytes_of(live) == before);
#else
    CHECK(forced.ok);
#endif
}

TEST_CASE("restore: stop and start commands run around the swap and the health URL is polled") {
    test::TempDir dir;
    const fs::path live = dir / "memory.db";
    test::create_sample_db(live, {.memories = 8});
    test::backup_files(dir / "repo", live);
    const fs::path log = dir / "services.log";
    RestoreOptions options = restore_options(dir / "repo", live);
    options.stop_cmd = test::shell_append("stop " + test::shell_variable("SONIABK_BACKUP_ID"), log.string());
    options.start_cmd = test::shell_append("start", log.string());

    SECTION("a healthy service: everything passes") {
        test::HealthServer health = test::start_health_server(dir.path());
        options.health_urls = {health.url};
        const RestoreResult result = restore_database(options);
        INFO(result.to_json().dump(2));
        REQUIRE(result.ok);
        CHECK(test::unix_newlines(test::read_text(log)) == "stop " + result.backup_id + "\nstart\n");
        CHECK(result.steps.back().passed);
        CHECK_FALSE(result.steps.back().skipped);
    }
    SECTION("a health URL that never answers 200: restored, but not ok") {
        test::HealthServer health = test::start_health_server(dir.path(), 503);
        options.health_urls = {health.url};
        options.health_timeout = 600ms;
        const RestoreResult result = restore_database(options);
        REQUIRE(result.error);
        CHECK(result.error->code == "unhealthy");
        CHECK(result.exit_code() == 1);
        CHECK(result.replaced_path);
        CHECK_THAT(result.steps.back().detail, Catch::Contains("HTTP 503"));
    }
    SECTION("a failing stop command: refused, and the services are started again on the old database") {
        options.stop_cmd = test::shell_and_then(test::shell_append("stopping", log.string()),
                                                test::shell_exit(5, "unit sonia not found"));
        const std::string before = bytes_of(live);
        const RestoreResult result = restore_database(options);
        REQUIRE(result.error);
        CHECK(result.error->code == "command_failed");
        CHECK_THAT(result.error->message, Catch::Contains("status 5: unit sonia not found"));
        CHECK(test::unix_newlines(test::read_text(log)) == "stopping\nstart\n");
        CHECK(bytes_of(live) == before);
        CHECK(result.steps.back().step == "start_services");
    }
}
