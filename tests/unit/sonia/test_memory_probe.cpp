#include "sonia/memory_probe.hpp"
#include "memory_store.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using soniabk::test::memory_store;

TEST_CASE("memory_probe: the picked memory is the middle one, and a delete takes its rows and its index entry") {
    test::TempDir dir;
    Database db = memory_store(dir,
                               "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id');"
                               "CREATE TABLE links(id INTEGER PRIMARY KEY, memory_id INTEGER REFERENCES memories(id), url TEXT);"
                               "INSERT INTO memories VALUES (1, 'first note'), (2, 'tea with milk'), (3, 'last note');"
                               "INSERT INTO links(memory_id, url) VALUES (2, 'b'), (2, 'a'), (3, 'c');"
                               "INSERT INTO memories_fts(memories_fts) VALUES('rebuild')");
    REQUIRE(pick_probe_memory(db) == 2);
    const std::string before = memory_fingerprint(db, 2);
    CHECK(before == "memories: 2,'tea with milk'\nlinks: 1,2,'b'\nlinks: 2,2,'a'\n");
    const MemoryText text = *memory_text(db, 2);
    CHECK(fts_finds(db, text) == true);
    CHECK(delete_memory(db, 2) == RelatedCounts{{"links", 2}});
    CHECK(memory_fingerprint(db, 2).empty());
    CHECK(fts_finds(db, text) == false);
    CHECK(db.query_int("SELECT count(*) FROM links").value_or(-1) == 1);
    db.exec("INSERT INTO memories_fts(memories_fts) VALUES('integrity-check')");  // throws when the index is stale
    CHECK(fts_finds(db, MemoryText{3, ""}) == std::nullopt);  // no word to search for
}

TEST_CASE("memory_probe: archived memories are picked last, and an empty table gives none") {
    test::TempDir dir;
    Database db = memory_store(dir, "ALTER TABLE memories ADD COLUMN archived_at TEXT");
    CHECK(pick_probe_memory(db) == std::nullopt);
    db.exec("INSERT INTO memories VALUES (1, 'a', NULL), (5, 'b', 'x'), (9, 'c', 'x')");
    CHECK(pick_probe_memory(db) == 1);  // the only active one
    db.exec("UPDATE memories SET archived_at = 'x'");
    CHECK(pick_probe_memory(db) == 5);
    CHECK(fts_finds(db, *memory_text(db, 5)) == std::nullopt);  // no memories_fts
}
