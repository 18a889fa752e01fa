// drill --recover-probe: a memory hard-deleted from the scratch copy comes back from the drilled backup.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

namespace {

// A store whose memories have related rows (a foreign key), backed up once; drills run with a private TMPDIR.
struct ProbeFixture : CliFixture {
    fs::path tmp = dir / "tmp";

    explicit ProbeFixture(const SampleDbOptions& options, const std::vector<std::string>& backup_args = {})
        : CliFixture(options) {
        fs::create_directories(tmp);
        {
            Database live = Database::open(db, Database::Mode::read_write);
            live.exec("CREATE TABLE memory_links(id INTEGER PRIMARY KEY, memory_id INTEGER NOT NULL REFERENCES memories(id),"
                      " url TEXT); INSERT INTO memory_links(memory_id, url) SELECT id, 'https://x/' || id FROM memories;"
                      " INSERT INTO memory_links(memory_id, url) SELECT id, 'https://y/' || id FROM memories");
        }
        init_repo(repo);
        std::vector<std::string> args{"backup", "db"};
        args.insert(args.end(), backup_args.begin(), backup_args.end());
        run_json(args);
    }

    Json drill(int expected_exit) const {
        return run_json({"drill", "--recover-probe"}, expected_exit, {{{"TMPDIR", tmp.string()}}, {}, {}});
    }
};

std::vector<std::string> step_names(const Json& drill) {
    std::vector<std::string> names;
    for (const auto& s : drill["steps"]) names.push_back(s["step"]);
    return names;
}

}  // namespace

TEST_CASE("cli drill: --recover-probe deletes and recovers a memory in the scratch copy only, with no pre-recover backup") {
    ProbeFixture f({.memories = 40, .archived_every = 10}, {"--format", "pages"});
    const std::string live_before = read_text(f.db);
    const Json json = f.drill(0);
    CHECK(json["passed"] == true);
    CHECK(step_names(json) == std::vector<std::string>{"backup_exists", "restore_database", "integrity_check",
                                                        "search_test", "recover_probe", "service_restart"});
    CHECK(test::drill_step(json, "recover_probe")["passed"] == true);
    CHECK_THAT(test::drill_step(json, "recover_probe")["detail"].get<std::string>(),
               Catch::Contains("memory 21 hard-deleted (memory_links 2)") && Catch::Contains("memories_fts search: found"));
    // 20 is the middle of 1..40 but archived: the first non-archived memory after it.
    CHECK(json["recover_probe"] == Json{{"memory_id", 21},
                                        {"deleted", {{"memory_links", 2}}},
                                        {"action", "inserted"},
                                        {"recovered", {{"memory_links", 2}}},
                                        {"row_equal", true},
                                        {"fts", "found"}});
    CHECK(read_text(f.db) == live_before);  // the live database is never the probe's
    CHECK(f.run_json({"list"})["backups"].size() == 1);  // no pre-recover backup
    CHECK(read_text(f.repo / "journal.jsonl").find("\"recover memories\"") == std::string::npos);
    CHECK(fs::is_empty(f.tmp));
}

TEST_CASE("cli drill: --recover-probe on a plain backup without memories_fts reports fts none and passes") {
    ProbeFixture f({.memories = 9, .archived_every = 0, .fts = false}, {"--format", "files"});
    const Json json = f.drill(0);
    CHECK(json["recover_probe"]["memory_id"] == 5);
    CHECK(json["recover_probe"]["row_equal"] == true);
    CHECK(json["recover_probe"]["fts"] == "none");
}

TEST_CASE("cli drill: --recover-probe on a backup with no memories fails the drill, memory_id null") {
    ProbeFixture f({.memories = 0}, {"--format", "files"});
    const Json json = f.drill(1);
    CHECK(json["passed"] == false);
    CHECK(json["status"] == "completed");
    CHECK(test::drill_step(json, "search_test")["passed"] == true);  // nothing to search for is not a search failure
    CHECK(test::drill_step(json, "recover_probe")["passed"] == false);
    CHECK_THAT(test::drill_step(json, "recover_probe")["detail"].get<std::string>(),
               Catch::Contains("holds no memory to delete and recover: row recovery is unproven"));
    CHECK(json["recover_probe"]["memory_id"].is_null());
    CHECK(json["recover_probe"]["action"].is_null());
    CHECK(json["incident_path"].is_string());
    CHECK(fs::is_empty(f.tmp));
}

TEST_CASE("cli drill: --recover-probe is listed as not run when the restore fails") {
    ProbeFixture f({.memories = 5}, {"--format", "files"});
    for (const auto& item : fs::directory_iterator(f.repo / "db")) {
        if (item.path().extension() == ".db") fs::resize_file(item.path(), 100);
    }
    const Json json = f.drill(1);
    CHECK(json["status"] == "failed");
    CHECK(test::drill_step(json, "recover_probe")["skipped"] == true);
    CHECK(test::drill_step(json, "recover_probe")["passed"] == false);
    CHECK_FALSE(json.contains("recover_probe"));
}
