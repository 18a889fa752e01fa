// recover memories: rows copied back from a backup into a live database a writer keeps committing to.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"
#include "writer_process.hpp"
#include "portable.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include <fmt/format.h>

using namespace soniabk;
using namespace soniabk::test;

namespace {

// The sample store plus a table whose rows belong to memories (a foreign key) and a backup of it all.
struct RecoverFixture : CliFixture {
    std::string backup_id;

    explicit RecoverFixture(const SampleDbOptions& options = {.memories = 30, .archived_every = 10}) : CliFixture(options) {
        {
            Database live = Database::open(db, Database::Mode::read_write);
            live.exec("CREATE TABLE memory_links(id INTEGER PRIMARY KEY, memory_id INTEGER NOT NULL REFERENCES memories(id),"
                      " url TEXT); INSERT INTO memory_links(memory_id, url) SELECT id, 'https://x/' || id FROM memories;"
                      " INSERT INTO memory_links(memory_id, url) SELECT id, 'https://y/' || id FROM memories");
        }
        init_repo(repo);
        backup_id = run_json({"backup", "db"})["backup_id"].get<std::string>();
    }

    // Hard-deletes memories the way SONIA would: the index entry, the rows that belong, the row.
    void hard_delete(int id) const {
        Database live = Database::open(db, Database::Mode::read_write);
        live.exec(fmt::format("INSERT INTO memories_fts(memories_fts, rowid, content) SELECT 'delete', id, content FROM "
                              "memories WHERE id = {0}; DELETE FROM memory_links WHERE memory_id = {0};"
                              " DELETE FROM memories WHERE id = {0}",
                              id));
    }

    Json recover(std::vector<std::string> args, int expected_exit = 0) const {
        args.insert(args.begin(), {"recover", "memories"});
        return run_json(args, expected_exit);
    }
};

std::int64_t query(const fs::path& db, const std::string& sql) {
    Database d = Database::open(db, Database::Mode::read_only);
    return d.query_int(sql).value_or(-1);
}

bool fts_consistent(const fs::path& db) {
    Database d = Database::open(db, Database::Mode::read_write);
    d.exec("INSERT INTO memories_fts(memories_fts) VALUES('integrity-check')");  // throws when the index is stale
    return d.query_text("PRAGMA integrity_check") == "ok";
}

}  // namespace

TEST_CASE("cli recover memories: a hard-deleted memory comes back, found by FTS MATCH, while a writer commits") {
    RecoverFixture f;
    f.hard_delete(7);
    f.hard_delete(8);
    const fs::path progress = f.dir / "progress";
    Child writer = start_writer(f.db, progress, 20, "1000");
    const long before = committed(progress);
    const Json r = f.recover({"--from", f.backup_id, "--id", "7", "8", "3", "999", "--busy-timeout", "30s"});
    CHECK(r["inserted"] == 2);
    CHECK(r["skipped"] == 2);
    CHECK(r["rows"][0] == Json{{"id", 7}, {"action", "inserted"}, {"reason", nullptr}, {"related", {{"memory_links", 2}}}});
    CHECK(r["rows"][2]["reason"] == "exists");
    CHECK(r["rows"][3]["reason"] == "not_in_backup");
    CHECK(r["fts"] == "external_content");
    CHECK(r["schema_version"] == 2);
    REQUIRE(r["backup_id"].is_string());
    CHECK(wait_for_commits(writer, progress, before + 20));  // the writer was never stopped
    writer.kill(SIGKILL);
    writer.wait();
    CHECK(query(f.db, "SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'topic7'") == 7);
    CHECK(query(f.db, "SELECT count(*) FROM memory_links WHERE memory_id IN (7, 8)") == 4);
    CHECK(query(f.db, "SELECT count(*) FROM memories") == 30);
    CHECK(fts_consistent(f.db));
    const Json listed = f.run_json({"list", "--label", "pre-recover"});
    REQUIRE(listed["backups"].size() == 1);
    CHECK(listed["backups"][0]["backup_id"] == r["backup_id"]);
    CHECK(read_text(f.repo / "journal.jsonl").find("\"recover memories\"") != std::string::npos);
}

TEST_CASE("cli recover memories: a dry run, a second run and --match skip or change nothing") {
    RecoverFixture f;
    f.hard_delete(12);
    const Json dry = f.recover({"--from", f.backup_id, "--match", "topic12", "--dry-run"});
    CHECK(dry["dry_run"] == true);
    CHECK(dry["inserted"] == 1);
    CHECK(dry["rows"][0]["related"]["memory_links"] == 2);
    CHECK(dry["backup_id"].is_null());
    CHECK(query(f.db, "SELECT count(*) FROM memories") == 29);
    CHECK(f.run_json({"list", "--label", "pre-recover"})["backups"].empty());
    CHECK(f.recover({"--from", f.backup_id, "--match", "topic12"})["inserted"] == 1);
    const Json again = f.recover({"--from", f.backup_id, "--match", "topic12"});
    CHECK(again["inserted"] == 0);
    CHECK(again["rows"][0]["reason"] == "exists");
    CHECK(again["backup_id"].is_null());  // nothing to do: no pre-recover backup
    CHECK(query(f.db, "SELECT count(*) FROM memory_links WHERE memory_id = 12") == 2);
    CHECK(fts_consistent(f.db));
}

TEST_CASE("cli recover memories: --replace overwrites row by row and the index follows") {
    RecoverFixture f;
    {
        Database live = Database::open(f.db, Database::Mode::read_write);
        live.exec("INSERT INTO memories_fts(memories_fts, rowid, content) SELECT 'delete', id, content FROM memories WHERE id = 5;"
                  " UPDATE memories SET content = 'rewritten by mistake' WHERE id = 5;"
                  " INSERT INTO memories_fts(rowid, content) SELECT id, content FROM memories WHERE id = 5");
    }
    const Json r = f.recover({"--from", f.backup_id, "--id", "5", "6", "--replace"});
    CHECK(r["replaced"] == 2);
    CHECK(r["rows"][0]["action"] == "replaced");
    CHECK(query(f.db, "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'rewritten'") == 0);
    CHECK(query(f.db, "SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'topic5'") == 5);
    CHECK(query(f.db, "SELECT count(*) FROM memory_links WHERE memory_id = 5") == 2);
    CHECK(fts_consistent(f.db));
}

TEST_CASE("cli recover memories: --deleted-since brings back what the live database lost since the backup") {
    RecoverFixture f;
    for (const int id : {2, 4, 9}) f.hard_delete(id);
    const Json r = f.recover({"--from", f.backup_id, "--deleted-since", "2026-01-01T00:00:00Z"});
    CHECK(r["inserted"] == 3);
    CHECK(r["rows"][2]["id"] == 9);
    CHECK(query(f.db, "SELECT count(*) FROM memories") == 30);
    const Json refused = f.recover({"--from", f.backup_id, "--deleted-since", "2999-01-01T00:00:00Z"}, 2);
    CHECK(refused["error"]["code"] == "usage");
}

TEST_CASE("cli recover memories: a different schema_version is refused naming both") {
    RecoverFixture f;
    f.hard_delete(3);
    {
        Database live = Database::open(f.db, Database::Mode::read_write);
        live.exec("INSERT INTO schema_version VALUES (3, '2026-11-01T00:00:00Z')");
    }
    const Json r = f.recover({"--from", f.backup_id, "--id", "3"}, 2);
    CHECK(r["error"]["code"] == "schema_mismatch");
    const std::string message = r["error"]["message"];
    CHECK(message.find("schema_version is 3") != std::string::npos);
    CHECK(message.find("has 2") != std::string::npos);
    CHECK(query(f.db, "SELECT count(*) FROM memories") == 29);
}

TEST_CASE("cli recover memories: a kill -9 leaves the live database without or with all the recovered rows") {
    RecoverFixture f;
    for (const int id : {14, 15, 16}) f.hard_delete(id);
    const std::vector<std::string> args = {"recover", "memories", "--from", f.backup_id, "--id", "14", "15", "16"};
    for (const char* point : {"recover.after_backup", "recover.before_commit"}) {
        INFO(point);
        const ProcessResult killed = f.run(args, {{{"SONIABK_FAULT", point}}, {}, ""});
        REQUIRE(killed.signal == SIGKILL);
        CHECK(query(f.db, "SELECT count(*) FROM memories") == 27);
        CHECK(query(f.db, "SELECT count(*) FROM memory_links") == 54);
        CHECK(fts_consistent(f.db));
    }
    CHECK(f.recover({"--from", f.backup_id, "--id", "14", "15", "16"})["inserted"] == 3);
    CHECK(query(f.db, "SELECT count(*) FROM memories") == 30);
    CHECK(query(f.db, "SELECT count(*) FROM memory_links") == 60);
    CHECK(fts_consistent(f.db));
}

TEST_CASE("cli recover memories: SIGINT inside the transaction rolls it back, journals it, exits 130") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C to one child process: console events reach the whole console");
    RecoverFixture f;
    f.hard_delete(21);
    const std::size_t files_before = f.files().size();
    ProcessOptions paused;
    paused.env = {{"SONIABK_FAULT", "recover.before_commit:pause"}};
    Child recover({soniabk_binary().string(), "recover", "memories", "--from", f.backup_id, "--id", "21", "--repo",
                   f.repo.string(), "--db", f.db.string()},
                  paused);
    for (int waited = 0; f.files().size() == files_before; ++waited) {  // the pre-recover backup is stored
        REQUIRE(waited < 3000);
        REQUIRE(recover.running());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    recover.kill(SIGINT);
    const ProcessResult r = recover.wait();
    CHECK(r.exit_code == 130);
    CHECK(query(f.db, "SELECT count(*) FROM memories WHERE id = 21") == 0);
    const std::string journal = read_text(f.repo / "journal.jsonl");
    CHECK(journal.find("\"interrupted\"", journal.rfind("\"recover memories\"")) != std::string::npos);
    CHECK(f.recover({"--from", f.backup_id, "--id", "21"})["inserted"] == 1);
}

TEST_CASE("cli recover memories: a contentless index and a trigger-kept index are kept in step") {
    CliFixture f({.memories = 0, .fts = false});
    const bool contentless = GENERATE(true, false);
    INFO(contentless);
    {
        Database live = Database::open(f.db, Database::Mode::read_write);
        live.exec(contentless ? "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='')"
                              : "CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id');"
                                " CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN"
                                " INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content); END;"
                                " CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN"
                                " INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.id, old.content); END;");
        live.exec("INSERT INTO memories(id, content, created_at) VALUES (1, 'green tea', 'x'), (2, 'black coffee', 'x')");
        if (contentless) live.exec("INSERT INTO memories_fts(rowid, content) SELECT id, content FROM memories");
    }
    init_repo(f.repo);
    const std::string id = f.run_json({"backup", "db"})["backup_id"];
    {
        Database live = Database::open(f.db, Database::Mode::read_write);
        if (contentless) live.exec("INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', 2, 'black coffee')");
        live.exec("DELETE FROM memories WHERE id = 2");
    }
    CHECK(query(f.db, "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'coffee'") == 0);
    const Json r = f.run_json({"recover", "memories", "--from", id, "--match", "coffee", "--replace"});
    CHECK(r["fts"] == (contentless ? "contentless" : "external_content"));
    CHECK(r["inserted"] == 1);
    CHECK(query(f.db, "SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'coffee'") == 2);
    CHECK(query(f.db, "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'tea'") == 1);
    CHECK(f.run_json({"recover", "memories", "--from", id, "--id", "1", "2", "--replace"})["replaced"] == 2);
    CHECK(query(f.db, "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'coffee OR tea'") == 2);
}

TEST_CASE("cli recover memories --unarchive: clears archived_at, says why it skips") {
    RecoverFixture f;
    const Json r = f.recover({"--unarchive", "--id", "10", "1", "999"});
    CHECK(r["unarchived"] == 1);
    CHECK(r["rows"][1]["reason"] == "not_archived");
    CHECK(r["rows"][2]["reason"] == "not_found");
    CHECK(query(f.db, "SELECT count(*) FROM memories WHERE archived_at IS NOT NULL") == 2);
    CHECK(f.recover({"--unarchive", "--id", "20", "--dry-run"})["unarchived"] == 1);
    CHECK(query(f.db, "SELECT count(*) FROM memories WHERE archived_at IS NOT NULL") == 2);
    CHECK(f.recover({"--unarchive", "--id", "20", "--from", f.backup_id}, 2)["error"]["code"] == "usage");
    CHECK(f.recover({"--from", f.backup_id}, 2)["error"]["code"] == "usage");
}
