// find: which backups (page store, plain, compressed) hold a memory, first and last.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli find: a memory's first and last backup across page-store, plain and compressed backups") {
    CliFixture f({.memories = 30, .archived_every = 10});
    init_repo(f.repo);
    const std::string a = f.run_json({"backup", "db", "--format", "pages"})["backup_id"];
    {
        Database live = Database::open(f.db, Database::Mode::read_write);
        live.exec("INSERT INTO memories_fts(memories_fts, rowid, content) SELECT 'delete', id, content FROM memories WHERE id = 7;"
                  " DELETE FROM memories WHERE id = 7;"
                  " INSERT INTO memories(id, content, created_at) VALUES (31, 'flying kites at dawn', '2026-11-01T00:00:00Z');"
                  " INSERT INTO memories_fts(rowid, content) VALUES (31, 'flying kites at dawn')");
    }
    const std::string b = f.run_json({"backup", "db", "--format", "files"})["backup_id"];
    const std::string c = f.run_json({"backup", "db", "--format", "files", "--compress", "zstd"})["backup_id"];
    const std::string key = (f.dir / "backup.key").string();
    REQUIRE(run_soniabk({"keygen", key}).exit_code == 0);
    const std::string d = f.run_json({"backup", "db", "--format", "files", "--encrypt", "--key-file", key})["backup_id"];
    const ProcessOptions with_key{{{"SONIABK_KEY_FILE", key}}, {}, ""};

    const Json gone = f.run_json({"find", "topic7", "--all-backups"}, 0, with_key);
    REQUIRE(gone["searched"].size() == 4);
    CHECK(gone["searched"][0] == Json{{"backup_id", a}, {"search", "fts5"}, {"matches", 1}});
    REQUIRE(gone["memories"].size() == 1);
    CHECK(gone["memories"][0] == Json{{"id", 7}, {"snippet", "memory number 7 about topic7 and tea"},
                                      {"created_at", "2026-01-01T00:00:00Z"}, {"archived_at", nullptr},
                                      {"first_backup", a}, {"last_backup", a}, {"backups", 1}});
    const Json kites = f.run_json({"find", "kites", "--all-backups", "--key-file", key});
    REQUIRE(kites["memories"].size() == 1);
    CHECK(kites["memories"][0]["first_backup"] == b);
    CHECK(kites["memories"][0]["last_backup"] == d);
    CHECK(kites["memories"][0]["backups"] == 3);
    const Json by_id = f.run_json({"find", "--id", "5", "--all-backups"}, 0, with_key);
    CHECK(by_id["memories"][0]["backups"] == 4);
    CHECK(by_id["searched"][2]["search"] == "id");
    CHECK(f.run_json({"find", "topic10", "--all-backups"}, 0, with_key)["memories"].empty());  // archived
    CHECK(f.run_json({"find", "topic10", "--archived", a, c})["memories"][0]["archived_at"] == "2026-02-01T00:00:00Z");
    CHECK(f.run_json({"find", "topic7"}, 0, with_key)["searched"].size() == 1);  // the newest only
    CHECK(f.run_json({"find", "topic7"}, 0, with_key)["memories"].empty());
    CHECK(f.run_json({"find", "topic7"}, 2)["error"]["code"] == "key_required");
    CHECK(f.run_json({"find", "topic7", a, b})["memories"][0]["backups"] == 1);
    CHECK(f.run_json({"find", "topic7", a, "--all-backups"}, 2)["error"]["code"] == "usage");
}

TEST_CASE("cli find: a backup without memories_fts is searched with LIKE") {
    CliFixture f({.memories = 30, .archived_every = 10, .fts = false});
    init_repo(f.repo);
    f.run_json({"backup", "db"});
    const Json r = f.run_json({"find", "topic3"});
    CHECK(r["searched"][0]["search"] == "like");
    CHECK(r["memories"].size() == 1);  // topic30 is archived
    CHECK(f.run_json({"find", "topic3", "--archived"})["memories"].size() == 2);
}

TEST_CASE("cli find: a page-store backup is searched in place, and a damaged pack fails naming it") {
    CliFixture f({.memories = 3000});
    init_repo(f.repo);
    f.run_json({"backup", "db", "--format", "pages"});
    const fs::path scratch_parent = f.dir / "tmp";
    fs::create_directories(scratch_parent);
    const ProcessOptions private_tmp{{{"TMPDIR", scratch_parent.string()}, {"TEMP", scratch_parent.string()}}, {}, ""};
    const Json found = f.run_json({"find", "topic2999"}, 0, private_tmp);
    REQUIRE(found["memories"].size() == 1);
    CHECK(found["memories"][0]["snippet"] == "memory number 2999 about topic2999 and tea");
    CHECK(fs::is_empty(scratch_parent));  // nothing extracted

    fs::path pack;
    for (const auto& e : fs::directory_iterator(f.repo / "pages" / "packs")) pack = e.path();
    flip_byte(pack, fs::file_size(pack) / 2);
    const Json damaged = f.run_json({"find", "tea"}, 3, private_tmp);
    CHECK(damaged["error"]["code"] == "backup_damaged");
    CHECK_THAT(damaged["error"]["message"].get<std::string>(), Catch::Contains(pack.filename().string()));
}

TEST_CASE("cli find: the text output counts one match and one backup in the singular") {
    CliFixture f({.memories = 30});
    init_repo(f.repo);
    f.run_json({"backup", "db"});
    const ProcessResult r = f.run({"find", "topic7"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("  1 match (fts5)\n"));
    CHECK_THAT(r.out, Catch::Contains("  (1 backup)\n"));
    CHECK_THAT(r.out, !Catch::Contains("matches") && !Catch::Contains("backups)"));
}
