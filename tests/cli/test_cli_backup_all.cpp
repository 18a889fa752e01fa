// backup all, list's sets, restore --set and the drill's set check, against the test gateway process.
#include "gateway_process.hpp"
#include "repo_init.hpp"
#include "base/json.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace soniabk;
using test::GatewayProcess;
namespace fs = std::filesystem;

namespace {

struct RepoWithDb {
    test::TempDir tmp;
    fs::path repo = tmp / "repo";
    fs::path db = tmp / "memory.db";

    RepoWithDb() {
        test::create_sample_db(db, {.memories = 120});
        test::init_repo(repo);
    }

    test::ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--repo", repo.string(), "--db", db.string()});
        return test::run_soniabk(args, {{{"SONIABK_GATEWAY", ""}, {"SONIABK_GATEWAY_DIR", ""}}, {}, {}});
    }
    test::ProcessResult backup_all(const GatewayProcess& gw, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"--json", "backup", "all", "--gateway", gw.url(), "--gateway-dir", gw.dir().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }
    Json manifest_of(const Json& half) const { return Json::parse(test::read_text(half["manifest_path"].get<std::string>())); }
    Json listed() const { return Json::parse(run({"--json", "list"}).out); }
};

}  // namespace

TEST_CASE("cli backup all: state then database as one set, list shows it, restore --set, drill checks it") {
    RepoWithDb f;
    std::string set_id;
    {
        GatewayProcess gw(f.tmp / "gw");
        const auto r = f.backup_all(gw, {"--label", "manual"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const Json out = Json::parse(r.out);
        set_id = out["set_id"];
        CHECK(set_id.starts_with("set_"));
        CHECK(out["complete"] == true);
        CHECK(f.manifest_of(out["state"])["set_id"] == set_id);
        CHECK(f.manifest_of(out["db"])["set_id"] == set_id);
        CHECK(out["db"]["manifest"]["label"] == "manual");
        CHECK(out["state"]["manifest"]["dlq_count"] == 3);
    }
    const Json listed = f.listed();
    REQUIRE(listed["sets"].size() == 1);
    CHECK(listed["sets"][0]["set_id"] == set_id);
    CHECK(listed["sets"][0]["complete"] == true);
    CHECK(listed["backups"][0]["set_id"] == set_id);
    CHECK_THAT(f.run({"list"}).out, Catch::Contains(set_id) && Catch::Contains("complete"));

    SECTION("restore --set puts the database back and replays the set's DLQ") {
        test::create_sample_db(f.tmp / "other.db", {.memories = 3});
        fs::rename(f.tmp / "other.db", f.db);
        fs::remove(f.db.string() + "-wal");
        GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
        const auto r = f.run({"--json", "restore", "--set", set_id.substr(0, 12), "--gateway", fresh.url()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const Json out = Json::parse(r.out);
        CHECK(out["set_id"] == set_id);
        CHECK(out["dlq"]["dlq"]["restored"] == Json::array({"dlq-1", "dlq-2", "dlq-3"}));
        CHECK(test::count_rows(f.db, "memories") == 120);
        CHECK(f.run({"restore", "--set", "set_nope", "--gateway", fresh.url()}).exit_code == 3);
        CHECK(f.run({"restore", "--set", set_id, "--latest"}).exit_code == 2);
    }
    SECTION("drill checks the newest set: both halves present and verified") {
        const Json drill = Json::parse(f.run({"--json", "drill"}).out);
        CHECK(drill["passed"] == true);
        CHECK(drill["steps"][1]["step"] == "backup_set");
        CHECK(drill["steps"][1]["passed"] == true);
        fs::remove(listed["backups"][0]["path"].get<std::string>());  // the newest backup: the set's database half
        const auto broken = f.run({"--json", "drill"});
        CHECK(broken.exit_code == 1);
        CHECK(Json::parse(broken.out)["steps"][1]["passed"] == false);
    }
}

TEST_CASE("cli backup all: a gateway that is down fails clearly unless --allow-missing-state") {
    RepoWithDb f;
    const std::vector<std::string> down{"backup", "all", "--gateway", "http://127.0.0.1:1", "--gateway-dir", f.tmp.path().string()};
    const auto r = f.run(down);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::StartsWith("soniabk: POST http://127.0.0.1:1/v1/backups: connection refused") &&
                          Catch::Contains("--allow-missing-state"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK((!fs::exists(f.repo / "db") || fs::is_empty(f.repo / "db")));
    auto allowed_args = down;
    allowed_args.insert(allowed_args.begin(), "--json");
    allowed_args.push_back("--allow-missing-state");
    const auto allowed = f.run(allowed_args);
    INFO(allowed.err);
    REQUIRE(allowed.exit_code == 0);
    const Json out = Json::parse(allowed.out);
    CHECK(out["set_id"].is_null());
    CHECK(out["complete"] == false);
    CHECK(out["state"]["skipped"] == true);
    CHECK(out["state"]["error"]["code"] == "unreachable");
    CHECK(!f.manifest_of(out["db"]).contains("set_id"));  // an ordinary database backup
    CHECK(f.listed()["sets"].empty());
}

TEST_CASE("cli backup all: a failed half makes the set incomplete, exit non-zero, the other half kept") {
    RepoWithDb f;
    SECTION("the state half fails: the database is still backed up, as an ordinary backup") {
        GatewayProcess gw(f.tmp / "gw", {"--fault", "wrong-sha"});
        const auto r = f.backup_all(gw);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("does not match the gateway's manifest"));
        const Json out = Json::parse(r.out);
        CHECK(out["ok"] == false);
        CHECK(out["complete"] == false);
        CHECK(out["state"]["error"]["code"] == "sha256_mismatch");
        CHECK(!f.manifest_of(out["db"]).contains("set_id"));
        CHECK(f.listed()["backups"].size() == 1);
    }
    SECTION("the database half fails: the state backup is kept, its set listed as incomplete and refused by restore --set") {
        GatewayProcess gw(f.tmp / "gw");
        fs::remove(f.db);
        fs::remove(f.db.string() + "-wal");
        const auto r = f.backup_all(gw);
        CHECK(r.exit_code == 3);
        const Json out = Json::parse(r.out);
        CHECK(out["db"]["error"]["code"] == "db_missing");
        const std::string set_id = out["set_id"];
        const Json sets = f.listed()["sets"];
        REQUIRE(sets.size() == 1);
        CHECK(sets[0]["complete"] == false);
        CHECK(sets[0]["db"].is_null());
        const auto refused = f.run({"--json", "restore", "--set", set_id});
        CHECK(refused.exit_code == 1);
        CHECK(Json::parse(refused.out)["error"]["code"] == "set_incomplete");
    }
}
