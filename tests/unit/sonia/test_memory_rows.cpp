#include "sonia/memory_rows.hpp"
#include "memory_store.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using soniabk::test::memory_store;

TEST_CASE("memory_rows: related tables are the single-column foreign keys and the memory_id columns") {
    test::TempDir dir;
    Database db = memory_store(dir,
                               "CREATE TABLE links(id INTEGER PRIMARY KEY, owner INTEGER REFERENCES memories(id));"
                               "CREATE TABLE embeddings(memory_id INTEGER, vector BLOB);"
                               "CREATE TABLE pairs(a INTEGER, b INTEGER, FOREIGN KEY(a, b) REFERENCES memories(id, content));"
                               "CREATE TABLE tags(memory_id INTEGER REFERENCES memories, tag TEXT);"
                               "CREATE TABLE unrelated(id INTEGER PRIMARY KEY, note TEXT)");
    const auto related = related_tables(db);
    std::vector<std::string> found;
    for (const auto& r : related) found.push_back(r.table + "." + r.column + "->" + r.parent);
    CHECK(found == std::vector<std::string>{"links.owner->id", "tags.memory_id->id", "embeddings.memory_id->id"});
}
