#include "base/json.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "repo/repository.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;

namespace {

test::ProcessResult purge(const test::TempDir& dir, std::vector<std::string> extra,
                          const std::map<std::string, std::string>& env = {}) {
    test::init_repo(dir / "repo");
    std::vector<std::string> argv = {"--json", "--repo", (dir / "repo").string(), "--db", (dir / "memory.db").string(),
                                     "purge-archived"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    test::ProcessOptions options;
    options.env = env;
    return test::run_soniabk(argv, options);
}

}  // namespace

TEST_CASE("cli purge-archived: deletes what is archived past the cutoff after a pre-purge backup") {
    test::TempDir dir;
    // Archived on 2026-02-01: older than 30 days by now, never older than 100 years.
    test::create_sample_db(dir / "memory.db", {.memories = 40, .archived_every = 10});
    SECTION("nothing old enough") {
        const auto r = purge(dir, {"--older-than", "36500d"});
        CHECK(r.exit_code == 0);
        const Json j = Json::parse(r.out);
        CHECK(j["deleted"] == 0);
        CHECK(j["backup_id"].is_null());
        CHECK(test::count_rows(dir / "memory.db", "memories") == 40);
    }
    SECTION("a dry run counts only") {
        const auto r = purge(dir, {"--older-than", "30d", "--dry-run"});
        CHECK(Json::parse(r.out)["matched"] == 4);
        CHECK(test::count_rows(dir / "memory.db", "memories") == 40);
    }
    SECTION("the real thing") {
        const auto r = purge(dir, {"--older-than", "30d"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        const Json j = Json::parse(r.out);
        CHECK(j["deleted"] == 4);
        CHECK(test::count_rows(dir / "memory.db", "memories") == 36);
        const auto listed = Json::parse(test::run_soniabk({"--json", "--repo", (dir / "repo").string(), "list",
                                                           "--label", "pre-purge"}).out);
        REQUIRE(listed["backups"].size() == 1);
        CHECK(listed["backups"][0]["backup_id"] == j["backup_id"]);
    }
}

TEST_CASE("cli purge-archived: a kill before commit deletes nothing and the rerun completes") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 40, .archived_every = 10});
    const auto killed = purge(dir, {"--older-than", "30d"}, {{"SONIABK_FAULT", "purge.before_commit"}});
    REQUIRE(killed.signal == SIGKILL);
    CHECK(test::count_rows(dir / "memory.db", "memories") == 40);
    Database db = Database::open(dir / "memory.db", Database::Mode::read_only);
    CHECK(db.query_text("PRAGMA integrity_check") == "ok");
    const auto again = purge(dir, {"--older-than", "30d"});
    CHECK(again.exit_code == 0);
    CHECK(test::count_rows(dir / "memory.db", "memories") == 36);
}

TEST_CASE("cli purge-archived: usage errors and a database without archived_at") {
    test::TempDir dir;
    {
        Database db = Database::open(dir / "memory.db", Database::Mode::create);
        db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT)");
    }
    const auto refused = purge(dir, {"--older-than", "365d"});
    CHECK(refused.exit_code == 2);
    CHECK(Json::parse(refused.out)["error"]["code"] == "no_archived_at");
    CHECK(purge(dir, {}).exit_code == 2);  // --older-than is required
    CHECK(purge(dir, {"--older-than", "a year"}).exit_code == 2);
    CHECK((!fs::exists(dir / "repo" / "db") || fs::is_empty(dir / "repo" / "db")));
}

TEST_CASE("cli purge-archived: the text output counts one memory in the singular") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 10, .archived_every = 10});  // memory 10 alone is archived
    test::init_repo(dir / "repo");
    const auto r = test::run_soniabk({"--repo", (dir / "repo").string(), "--db", (dir / "memory.db").string(),
                                      "purge-archived", "--older-than", "30d"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("1 memory archived before "));
    CHECK_THAT(r.out, Catch::Contains("\ndeleted 1 memory (search index: "));
    CHECK_THAT(r.out, !Catch::Contains("memories"));
}
