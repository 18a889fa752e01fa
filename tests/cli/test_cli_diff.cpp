// diff A B: memories added, removed, archived, un-archived and changed, against hand-made changes.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

namespace {

void change(const fs::path& db, const char* sql) {
    Database live = Database::open(db, Database::Mode::read_write);
    live.exec(sql);
}

}  // namespace

TEST_CASE("cli diff: two backups and live, against hand-computed changes") {
    CliFixture f({.memories = 30, .archived_every = 10});  // 10, 20 and 30 archived
    init_repo(f.repo);
    const std::string a = f.run_json({"backup", "db"})["backup_id"];
    change(f.db,
           "INSERT INTO memories_fts(memories_fts, rowid, content) SELECT 'delete', id, content FROM memories WHERE id = 5;"
           " DELETE FROM memories WHERE id = 5;"
           " INSERT INTO memories(id, content, created_at) VALUES (31, 'a new memory about kites', '2026-11-01T00:00:00Z');"
           " INSERT INTO memories_fts(rowid, content) VALUES (31, 'a new memory about kites');"
           " UPDATE memories SET archived_at = '2026-11-02T00:00:00Z' WHERE id = 7;"
           " UPDATE memories SET archived_at = NULL WHERE id = 10;"
           " UPDATE memories SET metadata = '{\"source\":\"edited\"}' WHERE id = 12;"
           " UPDATE memories SET archived_at = '2026-11-03T00:00:00Z' WHERE id = 30;");  // still archived: no change
    const std::string b = f.run_json({"backup", "db"})["backup_id"];
    const Json d = f.run_json({"diff", a, b});
    CHECK(d["a"] == a);
    CHECK(d["b"] == b);
    CHECK(d["counts"] == Json{{"added", 1}, {"archived", 1}, {"changed", 1}, {"removed", 1}, {"unarchived", 1}});
    REQUIRE(d["memories"].size() == 5);
    std::vector<std::pair<int, std::string>> listed;
    for (const auto& m : d["memories"]) listed.emplace_back(m["id"].get<int>(), m["change"].get<std::string>());
    CHECK(listed == std::vector<std::pair<int, std::string>>{
                        {5, "removed"}, {7, "archived"}, {10, "unarchived"}, {12, "changed"}, {31, "added"}});
    CHECK(d["memories"][1]["archived_at"] == "2026-11-02T00:00:00Z");
    CHECK(d["memories"][4]["snippet"] == "a new memory about kites");
    CHECK(d["truncated"] == false);

    const Json reversed = f.run_json({"diff", b, a, "--limit", "2"});
    CHECK(reversed["counts"] == Json{{"added", 1}, {"archived", 1}, {"changed", 1}, {"removed", 1}, {"unarchived", 1}});
    CHECK(reversed["memories"].size() == 2);
    CHECK(reversed["memories"][0] == Json{{"id", 5}, {"change", "added"}, {"created_at", "2026-01-01T00:00:00Z"},
                                          {"archived_at", nullptr}, {"snippet", "memory number 5 about topic5 and tea"}});
    CHECK(reversed["truncated"] == true);

    change(f.db, "UPDATE memories SET metadata = NULL WHERE id IN (1, 2)");
    const Json live = f.run_json({"diff", b, "live"});
    CHECK(live["b"] == "live");
    CHECK(live["counts"]["changed"] == 2);
    CHECK(live["counts"]["added"] == 0);
    CHECK(f.run_json({"diff", "live", "live"})["memories"].empty());
    CHECK(f.run_json({"diff", a}, 2)["error"]["code"] == "usage");
}
