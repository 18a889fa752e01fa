#include "base/error.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "sqlite/snapshot.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;
using namespace std::chrono_literals;

using test::committed;
using test::start_writer;

namespace {

// The snapshot holds a prefix of whole transactions and is self-contained.
std::int64_t check_prefix(const fs::path& snapshot) {
    Database db = Database::open(snapshot, Database::Mode::read_only);
    CHECK(db.query_text("PRAGMA journal_mode") == "delete");
    return test::check_whole_transactions(db);
}

}  // namespace

TEST_CASE("snapshot: hot backup under a concurrent writer holds exactly a prefix of committed transactions") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    const auto progress = dir / "progress";
    const char* autocheckpoint = GENERATE("1000", "50");
    test::Child writer = start_writer(db, progress, 300, autocheckpoint);
    for (int round = 0; round < 3; ++round) {
        const fs::path out = dir / ("snap" + std::to_string(round) + ".db");
        const long before = committed(progress);
        take_snapshot(db, out, SnapshotMethod::backup_api, 10s);
        const long after = committed(progress);
        const std::int64_t s = check_prefix(out);
        INFO("committed before " << before << ", snapshot " << s << ", after " << after);
        CHECK(s >= before);  // no transaction committed before the snapshot began is missing
        CHECK(s <= after + 1);  // the writer reports each commit just after making it: one may be unreported
    }
    writer.kill(SIGKILL);
}

TEST_CASE("snapshot: copy-with-WAL under a heavy writer is consistent and loses nothing committed before it") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    const auto progress = dir / "progress";
    test::Child writer = start_writer(db, progress, 300, "100");
    for (int round = 0; round < 3; ++round) {
        const fs::path out = dir / ("copy" + std::to_string(round) + ".db");
        const long before = committed(progress);
        take_snapshot(db, out, SnapshotMethod::copy, 10s);
        const long after = committed(progress);
        const std::int64_t s = check_prefix(out);
        INFO("committed before " << before << ", snapshot " << s << ", after " << after);
        CHECK(s >= before);
        CHECK(s <= after + 1);  // the writer reports each commit just after making it: one may be unreported
        CHECK_FALSE(fs::exists(out.string() + "-wal"));
    }
    writer.kill(SIGKILL);
}

TEST_CASE("snapshot: copy-with-WAL keeps commits that live only in the WAL") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 10});
    // A connection that stays open with checkpoints off keeps the new commits in the -wal file only.
    Database holder = Database::open(db, Database::Mode::read_write);
    holder.exec("PRAGMA wal_autocheckpoint=0");
    for (int i = 0; i < 100; ++i) {
        holder.exec("INSERT INTO memories(content, created_at) VALUES ('kept only in the WAL', '2026-01-01')");
    }
    REQUIRE(fs::file_size(db.string() + "-wal") > 0);

    SECTION("the main file alone lacks them (what raw copies lost)") {
        fs::copy_file(db, dir / "raw.db");
        CHECK(test::count_rows(dir / "raw.db", "memories") == 10);
    }
    SECTION("copy-with-WAL has every row, as one self-contained file") {
        take_snapshot(db, dir / "copy.db", SnapshotMethod::copy, 10s);
        CHECK(test::count_rows(dir / "copy.db", "memories") == 110);
        CHECK_FALSE(fs::exists(dir / "copy.db-wal"));
        CHECK(check_database(dir / "copy.db", CheckMode::full).result == "ok");
    }
    SECTION("the backup API and VACUUM INTO have them too") {
        take_snapshot(db, dir / "api.db", SnapshotMethod::backup_api, 10s);
        take_snapshot(db, dir / "vacuum.db", SnapshotMethod::vacuum, 10s);
        CHECK(test::count_rows(dir / "api.db", "memories") == 110);
        CHECK(test::count_rows(dir / "vacuum.db", "memories") == 110);
    }
}

TEST_CASE("snapshot: describe reads schema_version and memories counts from the snapshot") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 30, .archived_every = 10});
    const DatabaseInfo info = describe_database(dir / "memory.db", "wal");
    REQUIRE(info.memories);
    CHECK(info.memories->total == 30);
    CHECK(info.memories->archived == 3);
    REQUIRE(info.schema_version);
    CHECK((*info.schema_version)["version"] == 2);
    CHECK(info.page_size > 0);
    CHECK(info.page_count > 0);

    SECTION("a database without those tables has none") {
        Database::open(dir / "plain.db", Database::Mode::create).exec("CREATE TABLE t(x)");
        const DatabaseInfo plain = describe_database(dir / "plain.db", "delete");
        CHECK_FALSE(plain.memories);
        CHECK_FALSE(plain.schema_version);
    }
    SECTION("the counts are the same when SQLite answers them from an index") {
        const char* index = GENERATE("CREATE INDEX live ON memories(created_at) WHERE archived_at IS NULL",
                                     "CREATE INDEX by_archive ON memories(archived_at)");
        Database::open(dir / "memory.db", Database::Mode::read_write).exec(index);
        const DatabaseInfo indexed = describe_database(dir / "memory.db", "wal");
        REQUIRE(indexed.memories);
        CHECK(indexed.memories->total == 30);
        CHECK(indexed.memories->archived == 3);
    }
}

TEST_CASE("snapshot: bad sources fail with one clear error") {
    test::TempDir dir;
    auto code_of = [&](const fs::path& source, Duration busy = 10s) {
        try {
            take_snapshot(source, dir / "out.db", SnapshotMethod::backup_api, busy);
        } catch (const Error& e) {
            CHECK_THAT(e.what(), Catch::Contains(source.filename().string()));
            return e.code();
        }
        return std::string("no error");
    };
    SECTION("missing") { CHECK(code_of(dir / "missing.db") == "db_missing"); }
    SECTION("not SQLite") {
        test::write_text(dir / "notes.db", "these are not the pages you are looking for, not at all");
        CHECK(code_of(dir / "notes.db") == "not_sqlite");
    }
    SECTION("empty file") {
        test::write_text(dir / "empty.db", "");
        CHECK(code_of(dir / "empty.db") == "not_sqlite");
    }
    SECTION("locked past the busy timeout") {
        test::create_sample_db(dir / "memory.db", {.wal = false});
        Database locker = Database::open(dir / "memory.db", Database::Mode::read_write);
        locker.exec("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE");
        CHECK(code_of(dir / "memory.db", 200ms) == "locked");
        Database writer = Database::open(dir / "memory.db", Database::Mode::read_write, 0ms);
        CHECK_THROWS_WITH(writer.exec("BEGIN IMMEDIATE"), Catch::Contains("SQLite's write lock on memory.db") &&
                                                             !Catch::Contains("BEGIN"));
    }
}
