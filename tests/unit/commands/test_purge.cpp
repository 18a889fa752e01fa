#include "base/error.hpp"
#include "storage/local_storage.hpp"
#include "repo/journal.hpp"
#include "commands/purge.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

// The sample database archives every 10th memory on 2026-02-01; a year and a month later they are due.
const TimePoint purge_time = *parse_iso8601("2027-03-01T00:00:00Z");

PurgeResult purge(const fs::path& dir, TimePoint now, bool dry_run = false) {
    const FixedClock clock(now);
    if (!dry_run) test::init_repo(dir / "repo");
    PurgeOptions options;
    options.repo = dir / "repo";
    options.db = dir / "memory.db";
    options.dry_run = dry_run;
    options.clock = &clock;
    return purge_archived(options);
}

std::int64_t matches(const fs::path& db, const std::string& term) {
    Database d = Database::open(db, Database::Mode::read_only);
    return d.query_int("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH '" + term + "'").value_or(-1);
}

// FTS5's integrity check with rank 1 also compares an external-content index against its table.
void check_fts_in_step(const fs::path& db) {
    Database d = Database::open(db, Database::Mode::read_write);
    CHECK_NOTHROW(d.exec("INSERT INTO memories_fts(memories_fts, rank) VALUES('integrity-check', 1)"));
}

}  // namespace

TEST_CASE("purge: deletes memories archived before the cutoff, and their index entries, after a pre-purge backup") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 50, .archived_every = 10});
    const PurgeResult result = purge(dir.path(), purge_time);

    CHECK(result.matched == 5);
    CHECK(result.deleted == 5);
    CHECK(result.fts == "delete_command");
    CHECK(format_iso8601(result.cutoff) == "2026-03-01T00:00:00.000Z");
    CHECK(test::count_rows(dir / "memory.db", "memories") == 45);
    Database db = Database::open(dir / "memory.db", Database::Mode::read_only);
    CHECK(db.query_int("SELECT count(*) FROM memories WHERE archived_at IS NOT NULL") == 0);
    CHECK(matches(dir / "memory.db", "topic10") == 0);
    CHECK(matches(dir / "memory.db", "topic11") == 1);
    check_fts_in_step(dir / "memory.db");

    REQUIRE(result.backup_id);
    const auto entries = Repository::open(dir / "repo").scan();
    const BackupEntry& backup = find_backup(entries, *result.backup_id);
    CHECK(backup.label() == "pre-purge");
    CHECK(test::count_rows(backup.data_path, "memories") == 50);  // the deleted memories stay recoverable
    const auto journal = read_journal(storage::LocalStorage(dir / "repo"));
    REQUIRE(journal.size() == 3);  // init's line, the backup's, then the purge's
    CHECK(journal[2].command == "purge-archived");
    CHECK(journal[2].detail["deleted"] == 5);
    CHECK(journal[2].detail["backup_id"] == *result.backup_id);
}

TEST_CASE("purge: nothing archived long enough means nothing deleted and no backup taken") {
    test::TempDir dir;
    SECTION("no archived rows at all") {
        test::create_sample_db(dir / "memory.db", {.memories = 20, .archived_every = 0});
    }
    SECTION("archived, but within the year") {
        test::create_sample_db(dir / "memory.db", {.memories = 20, .archived_every = 10});
    }
    const PurgeResult result = purge(dir.path(), *parse_iso8601("2026-12-01T00:00:00Z"));
    CHECK(result.matched == 0);
    CHECK(result.deleted == 0);
    CHECK_FALSE(result.backup_id);
    CHECK(test::count_rows(dir / "memory.db", "memories") == 20);
    CHECK(Repository::open(dir / "repo").scan().empty());
}

TEST_CASE("purge: a dry run counts and changes nothing") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 30, .archived_every = 10});
    const PurgeResult result = purge(dir.path(), purge_time, true);
    CHECK(result.matched == 3);
    CHECK(result.deleted == 0);
    CHECK_FALSE(result.backup_id);
    CHECK(test::count_rows(dir / "memory.db", "memories") == 30);
    CHECK_FALSE(fs::exists(dir / "repo"));
}

TEST_CASE("purge: refuses a database without memories.archived_at") {
    test::TempDir dir;
    {
        Database db = Database::open(dir / "memory.db", Database::Mode::create);
        db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT)");
    }
    try {
        purge(dir.path(), purge_time);
        FAIL("purge ran on a database without archived_at");
    } catch (const Error& e) {
        CHECK(e.code() == "no_archived_at");
        CHECK(e.exit_code() == 2);
        CHECK_THAT(e.what(), Catch::Contains("memory.db: has no memories.archived_at column"));
    }
    CHECK(Repository::open(dir / "repo").scan().empty());
}

TEST_CASE("purge: archived_at as ISO text, SQLite text or Unix seconds, and anything else is left alone") {
    test::TempDir dir;
    {
        // No declared type, so a number stays a number (a TEXT column would store '1767225600' as text).
        Database db = Database::open(dir / "memory.db", Database::Mode::create);
        db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT, archived_at)");
        db.exec("INSERT INTO memories VALUES (1, 'a', '2025-12-31 23:59:59'), (2, 'b', 1767225600),"
                " (3, 'c', '2026-02-28T23:59:59.999Z'), (4, 'd', '2026-03-01T00:00:00Z'), (5, 'e', 'last spring'),"
                " (6, 'f', '1767225600'), (7, 'g', NULL), (8, 'h', 1772323200)");
    }
    const PurgeResult result = purge(dir.path(), purge_time);
    CHECK(result.deleted == 3);     // 1, 2 (2026-01-01 as Unix seconds) and 3
    CHECK(result.unparsable == 2);  // 5 and 6: text that is not a time
    CHECK(result.fts == "none");
    Database db = Database::open(dir / "memory.db", Database::Mode::read_only);
    CHECK(db.query_text("SELECT group_concat(id) FROM (SELECT id FROM memories ORDER BY id)") == "4,5,6,7,8");
}

TEST_CASE("purge: a delete trigger that maintains memories_fts is relied on, not doubled") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 50, .archived_every = 10});
    {
        Database db = Database::open(dir / "memory.db", Database::Mode::read_write);
        db.exec("CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN\n"
                "  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES('delete', old.id, old.content);\nEND");
        db.exec("CREATE TRIGGER memories_au AFTER UPDATE ON memories BEGIN\n"
                "  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES('delete', old.id, old.content);\n"
                "  INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);\nEND");
    }
    const PurgeResult result = purge(dir.path(), purge_time);
    CHECK(result.fts == "trigger");
    CHECK(result.deleted == 5);
    CHECK(matches(dir / "memory.db", "topic20") == 0);
    CHECK(matches(dir / "memory.db", "tea") == 45);
    check_fts_in_step(dir / "memory.db");
}

TEST_CASE("purge: an index soniabk cannot keep in step is refused before anything changes") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 20, .archived_every = 10, .fts = false});
    {
        Database db = Database::open(dir / "memory.db", Database::Mode::read_write);
        db.exec("CREATE VIRTUAL TABLE memories_fts USING fts5(content)");  // its own copy of the text
        db.exec("INSERT INTO memories_fts(rowid, content) SELECT id, content FROM memories");
    }
    CHECK_THROWS_WITH(purge(dir.path(), purge_time), Catch::Contains("a purge would leave it stale"));
    CHECK(test::count_rows(dir / "memory.db", "memories") == 20);
    CHECK(Repository::open(dir / "repo").scan().empty());
}
