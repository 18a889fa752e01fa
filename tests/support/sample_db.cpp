#include "sample_db.hpp"

#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

namespace soniabk::test {

void create_sample_db(const std::filesystem::path& path, const SampleDbOptions& options) {
    Database db = Database::open(path, Database::Mode::create);
    if (options.wal) db.exec("PRAGMA journal_mode=WAL");
    db.exec(
        "CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT NOT NULL, metadata TEXT, embedding BLOB,"
        " created_at TEXT NOT NULL, archived_at TEXT)");
    if (options.fts) db.exec("CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id')");
    if (options.schema_version) {
        db.exec("CREATE TABLE schema_version(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        db.exec("INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00Z'), (2, '2026-03-01T00:00:00Z')");
    }
    db.exec("BEGIN");
    for (int i = 1; i <= options.memories; ++i) {
        const bool archived = options.archived_every > 0 && i % options.archived_every == 0;
        auto insert = db.prepare(
            "INSERT INTO memories(id, content, metadata, embedding, created_at, archived_at)"
            " VALUES (?1, ?2, '{\"source\":\"test\"}', randomblob(64), '2026-01-01T00:00:00Z', ?3)");
        insert.bind(1, std::int64_t{i}).bind(2, fmt::format("memory number {} about topic{} and tea", i, i));
        if (archived) insert.bind(3, std::string_view("2026-02-01T00:00:00Z"));
        insert.step();
    }
    if (options.fts) db.exec("INSERT INTO memories_fts(memories_fts) VALUES('rebuild')");
    db.exec("COMMIT");
}

std::int64_t count_rows(const std::filesystem::path& path, const char* table) {
    Database db = Database::open(path, Database::Mode::read_only);
    return db.query_int(fmt::format("SELECT count(*) FROM {}", table)).value_or(-1);
}

bool integrity_ok(const std::filesystem::path& path) {
    Database db = Database::open(path, Database::Mode::read_only);
    return db.query_text("PRAGMA integrity_check").value_or("") == "ok";
}

}  // namespace soniabk::test
