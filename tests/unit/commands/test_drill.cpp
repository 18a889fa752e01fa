#include "commands/backup.hpp"
#include "storage/local_storage.hpp"
#include "commands/drill.hpp"
#include "repo/journal.hpp"
#include "sonia/memory_search.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

DrillOptions drill_options(const fs::path& repo, const fs::path& scratch, const Clock& clock) {
    DrillOptions options;
    options.repo = repo;
    options.scratch_parent = scratch;
    options.clock = &clock;
    return options;
}

}  // namespace

TEST_CASE("drill: the search test finds sampled memories again by their content") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    SECTION("through FTS5 when the store has memories_fts") {
        test::create_sample_db(db, {.memories = 60});
        const StepOutcome outcome = run_search_test(db, {});
        CHECK(outcome.passed);
        CHECK_THAT(outcome.detail, Catch::Contains("5 of 5") && Catch::Contains("FTS5"));
    }
    SECTION("through LIKE when it has no FTS index") {
        test::create_sample_db(db, {.memories = 60, .fts = false});
        const StepOutcome outcome = run_search_test(db, {});
        CHECK(outcome.passed);
        CHECK_THAT(outcome.detail, Catch::Contains("5 of 5") && Catch::Contains("LIKE"));
    }
    SECTION("a damaged FTS index is a miss naming the memory") {
        test::create_sample_db(db, {.memories = 60});
        {
            Database writable = Database::open(db, Database::Mode::read_write);
            writable.exec("INSERT INTO memories_fts(memories_fts, rowid, content) SELECT 'delete', id, content FROM memories "
                          "WHERE id = (SELECT min(id) FROM memories WHERE archived_at IS NULL)");
        }
        const StepOutcome outcome = run_search_test(db, {});
        CHECK_FALSE(outcome.passed);
        CHECK_THAT(outcome.detail, Catch::StartsWith("memory 1 not found") && Catch::Contains("4 of 5"));
    }
    SECTION("archived memories are never sampled") {
        test::create_sample_db(db, {.memories = 20, .archived_every = 1});
        const StepOutcome outcome = run_search_test(db, {});
        CHECK(outcome.passed);
        CHECK(outcome.detail == "no non-archived memories to search for");
    }
    SECTION("content full of FTS5 query syntax is still found") {
        test::create_sample_db(db, {.memories = 1, .archived_every = 0});
        {
            Database writable = Database::open(db, Database::Mode::read_write);
            writable.exec("UPDATE memories SET content = 'NEAR(a b) AND \"quoted\" -minus OR col:umn * café ünïcode'");
            writable.exec("INSERT INTO memories_fts(memories_fts) VALUES('rebuild')");
        }
        CHECK(run_search_test(db, {}).passed);
    }
    SECTION("--search TEXT with --expect-min") {
        test::create_sample_db(db, {.memories = 50});
        CHECK(run_search_test(db, {"topic7", 1, 5}).passed);
        CHECK_FALSE(run_search_test(db, {"topic7", 2, 5}).passed);
        CHECK(run_search_test(db, {"memory tea", 45, 5}).passed);  // 50 memories, every 10th archived
        CHECK_FALSE(run_search_test(db, {"memory tea", 46, 5}).passed);
        CHECK_FALSE(run_search_test(db, {"zebra", 1, 5}).passed);
    }
    SECTION("no memories table") {
        Database::open(db, Database::Mode::create).exec("CREATE TABLE other(x)");
        CHECK_THAT(run_search_test(db, {}).detail, Catch::Contains("no memories table"));
    }
}

TEST_CASE("drill: a passing drill records itself and leaves no scratch files") {
    test::TempDir dir;
    fs::create_directories(dir / "scratch");
    test::create_sample_db(dir / "memory.db", {.memories = 30});
    const TimePoint t0 = *parse_iso8601("2026-03-01T02:00:00Z");
    FixedClock clock(t0);
    test::backup_files(dir / "repo", dir / "memory.db", clock);
    clock.advance(3h);
    DrillOptions options = drill_options(dir / "repo", dir / "scratch", clock);
    options.keep = GENERATE(false, true);

    const DrillResult result = run_drill(options);
    INFO(result.to_json().dump(2));
    CHECK(result.passed);
    CHECK(result.status == "completed");
    CHECK(result.rpo_actual_seconds == 3 * 3600.0);
    CHECK_FALSE(result.incident_path);
    CHECK_FALSE(fs::exists(dir / "repo" / "incidents"));
    CHECK(fs::exists(result.scratch_dir) == options.keep);
    CHECK(fs::is_empty(dir / "scratch") == !options.keep);
    const Json record = Json::parse(test::read_text(dir / "repo" / "drills" / "last.json"));
    CHECK(record == result.to_json());
    const auto journal = read_journal(storage::LocalStorage(dir / "repo"));
    CHECK(journal.back().command == "drill");
    CHECK(journal.back().ok);
    CHECK(journal.back().detail["drill_id"] == result.drill_id);
    // The drill's rehearsal is not a restore of production: the journal holds init, the backup and the drill only.
    CHECK(journal.size() == 3);
}

TEST_CASE("drill: a failed drill leaves an incident bundle with everything needed to see why") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 30});
    FixedClock clock(*parse_iso8601("2026-03-01T02:00:00Z"));
    test::backup_files(dir / "repo", dir / "memory.db", clock);
    clock.advance(25h);  // older than the 24h RPO
    DrillOptions options = drill_options(dir / "repo", dir.path(), clock);
    options.incident_dir = dir / "incidents";

    const DrillResult result = run_drill(options);
    CHECK_FALSE(result.passed);
    CHECK(result.status == "completed");
    CHECK_FALSE(result.steps[0].passed);
    CHECK_THAT(result.steps[0].detail, Catch::Contains("1d1h old"));
    REQUIRE(result.incident_path);
    CHECK(result.incident_path->parent_path() == dir / "incidents");
    for (const char* file : {"drill.json", "manifest.json", "integrity_check.txt", "backups.json", "restore.json",
                             "versions.txt"}) {
        CHECK(fs::file_size(*result.incident_path / file) > 0);
    }
    CHECK(Json::parse(test::read_text(*result.incident_path / "drill.json")) == result.to_json());
    CHECK(test::read_text(*result.incident_path / "integrity_check.txt") == "ok\n");
    CHECK_THAT(test::read_text(*result.incident_path / "versions.txt"), Catch::Contains("SQLite 3."));
    CHECK(Json::parse(test::read_text(*result.incident_path / "backups.json"))["backups"].size() == 1);
    CHECK(Json::parse(test::read_text(*result.incident_path / "restore.json"))["ok"] == true);
}
