#include "sonia/fts_upkeep.hpp"
#include "memory_store.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using soniabk::test::memory_store;

TEST_CASE("fts_upkeep: the index kinds soniabk keeps in step row by row, and FTS4 refused") {
    test::TempDir dir;
    SECTION("external content without triggers") {
        Database db = memory_store(dir, "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id')");
        const FtsRowUpkeep upkeep = plan_fts_row_upkeep(db);
        CHECK(upkeep.index == "external_content");
        CHECK(upkeep.insert_sql.find("SELECT \"id\", \"content\"") != std::string::npos);
        CHECK(upkeep.delete_sql.find("'delete'") != std::string::npos);
    }
    SECTION("contentless, self-contained, none") {
        Database db = memory_store(dir, "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='')");
        CHECK(plan_fts_row_upkeep(db).index == "contentless");
        db.exec("DROP TABLE memories_fts; CREATE VIRTUAL TABLE memories_fts USING fts5(content)");
        const FtsRowUpkeep own = plan_fts_row_upkeep(db);
        CHECK(own.index == "self_contained");
        CHECK(own.delete_sql.rfind("DELETE FROM memories_fts", 0) == 0);
        db.exec("DROP TABLE memories_fts");
        CHECK(plan_fts_row_upkeep(db).index == "none");
    }
    SECTION("triggers do the work") {
        Database db = memory_store(dir,
                                   "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id');"
                                   "CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN INSERT INTO memories_fts(rowid, content)"
                                   " VALUES (new.id, new.content); END");
        const FtsRowUpkeep upkeep = plan_fts_row_upkeep(db);
        CHECK(upkeep.insert_sql.empty());
        CHECK_FALSE(upkeep.delete_sql.empty());  // no DELETE trigger
    }
    SECTION("FTS4") {
        Database db = memory_store(dir, "CREATE VIRTUAL TABLE memories_fts USING fts4(content)");
        CHECK_THROWS_WITH(plan_fts_row_upkeep(db), Catch::Contains("not an FTS5 index"));
    }
}
