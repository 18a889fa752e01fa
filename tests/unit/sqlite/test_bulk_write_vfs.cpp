#include "sqlite/bulk_write_vfs.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace soniabk;

namespace {

// Builds the same database through `vfs`: a tiny page cache makes SQLite spill pages and read them back
// while writes are still gathered; updates, deletes and VACUUM rewrite pages out of order.
std::int64_t build(const fs::path& path, const char* journal_mode, const char* vfs) {
    Database db = Database::open(path, Database::Mode::create, std::chrono::seconds(10), vfs);
    db.exec(std::string("PRAGMA cache_size=5; PRAGMA journal_mode=") + journal_mode);
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_body ON t(body)");
    db.exec("BEGIN");
    for (int i = 0; i < 1500; ++i) {
        db.exec("INSERT INTO t(body) VALUES (printf('%0600d', " + std::to_string(i * 7919 % 1500) + "))");
    }
    db.exec("COMMIT");
    db.exec("UPDATE t SET body = body || 'x' WHERE id % 3 = 0; DELETE FROM t WHERE id % 5 = 0; VACUUM");
    const std::int64_t rows = db.query_int("SELECT count(*) FROM t WHERE body LIKE '%x'").value_or(-1);
    CHECK(flush_bulk_writes(db.handle()) == SQLITE_OK);
    return rows;
}

}  // namespace

TEST_CASE("bulk_write_vfs: a database written through it is byte for byte the one written without it") {
    test::TempDir dir;
    const char* journal_mode = GENERATE("delete", "off", "memory");
    const std::int64_t plain = build(dir / "plain.db", journal_mode, nullptr);
    const std::int64_t bulk = build(dir / "bulk.db", journal_mode, bulk_write_vfs());
    CHECK(plain == 400);  // ids 3, 6, ... 1500 updated, those also divisible by 5 deleted
    CHECK(bulk == plain);
    CHECK(test::read_text(dir / "bulk.db") == test::read_text(dir / "plain.db"));
    CHECK(Database::open(dir / "bulk.db", Database::Mode::read_only).query_text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("bulk_write_vfs: flushing a connection that does not use it is a no-op") {
    test::TempDir dir;
    Database db = Database::open(dir / "plain.db", Database::Mode::create);
    db.exec("CREATE TABLE t(x)");
    CHECK(flush_bulk_writes(db.handle()) == SQLITE_OK);
}
