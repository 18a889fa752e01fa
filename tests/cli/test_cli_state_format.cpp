// The gateway's documented snapshot format end to end: the procedure's own example, every documented
// validation through the CLI, and how a DLQ restore is confirmed (dlq_id, id, canonical JSON).
#include "gateway_process.hpp"
#include "repo_init.hpp"
#include "base/json.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using test::GatewayProcess;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = fs::path(SONIABK_SOURCE_DIR) / "tests" / "fixtures" / "procedure";
const fs::path example_snapshot = fixtures / "gateway-state-20260215-142345.json";

struct StateRepo {
    test::TempDir tmp;
    fs::path repo = tmp / "repo";

    StateRepo() { test::init_repo(repo); }

    test::ProcessResult run(std::vector<std::string> args, const std::string& stdin_text = {}) const {
        args.insert(args.begin(), {"--repo", repo.string()});
        return test::run_soniabk(args, {{}, {}, stdin_text});
    }
    Json run_json(std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        const auto r = run(args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return Json::parse(r.out);
    }
    // Backs up `snapshot` from a gateway seeded with it, then replays its DLQ into a fresh gateway.
    Json replay(const Json& snapshot, const std::vector<std::string>& fresh_args = {}) const {
        test::write_text(tmp / "seed.json", snapshot.dump());
        {
            GatewayProcess before(tmp / "gw", {"--seed", (tmp / "seed.json").string()});
            run_json({"backup", "state", "--gateway", before.url(), "--gateway-dir", before.dir().string()});
        }
        std::vector<std::string> args{"--dlq", "0"};
        args.insert(args.end(), fresh_args.begin(), fresh_args.end());
        GatewayProcess fresh(tmp / "gw2", args);
        const auto r = run({"--json", "restore", "state", "--latest", "--dlq", "--gateway", fresh.url()});
        INFO(r.err);
        REQUIRE(r.exit_code <= 1);
        return Json::parse(r.out);
    }
};

Json documented_snapshot() { return Json::parse(test::read_text(example_snapshot)); }

Json dlq_entries(const char* id_field) {
    Json dlq = Json::array();
    for (int i = 1; i <= 3; ++i) {
        Json e = {{"capability", "memory.write"}, {"payload", {{"n", i}, {"text", "caf\u00e9"}}}, {"attempts", i}};
        if (id_field != nullptr) e[id_field] = "e" + std::to_string(i);
        dlq.push_back(e);
    }
    return dlq;
}

}  // namespace

TEST_CASE("cli state format: the procedure's example answer and snapshot are backed up, verified and extracted") {
    StateRepo f;
    GatewayProcess gw(f.tmp / "gw", {"--answer", (fixtures / "backup-response.json").string(), "--snapshot", example_snapshot.string()});
    const Json out = f.run_json({"backup", "state", "--gateway", gw.url(), "--gateway-dir", gw.dir().string()});
    CHECK(out["gateway_backup_id"] == "bkp_abc123");
    CHECK(out["gateway_timestamp"] == "2026-02-15T14:23:45Z");
    CHECK(out["manifest"]["sessions_count"] == 1);
    CHECK(out["manifest"]["breakers_count"] == 1);
    CHECK(fs::path(out["gateway_path"].get<std::string>()).filename() == "gateway-state-20260215-142345.json");
    CHECK(test::read_text(out["path"].get<std::string>()) == test::read_text(example_snapshot));
    const auto verified = f.run({"--json", "verify", "--all", "--deep"});
    CHECK(verified.exit_code == 0);
    CHECK_THAT(verified.out, Catch::Contains("sessions 1, confirmations 1, dlq 0, breakers 1"));
    CHECK(f.run_json({"restore", "state", "--latest", "--extract", "confirmations"}) == documented_snapshot()["confirmations"]);
    CHECK(f.run_json({"restore", "state", "--latest", "--extract", "breakers"}) == documented_snapshot()["breakers"]);
    const Json restored = f.run_json({"restore", "state", "--latest", "--dlq", "--gateway", gw.url()});
    CHECK(restored["posted"] == false);  // the example's DLQ is empty
}

TEST_CASE("cli state format: every documented validation refuses with one line naming the file and the entry") {
    struct Bad {
        std::string pointer;
        Json value;
        std::string message;
    };
    const std::vector<Bad> cases = {
        {"/backup_id", "", "'backup_id' is not a non-empty string"},
        {"/timestamp", "15 Feb 2026", "'timestamp' is not an ISO-8601 timestamp"},
        {"/sessions", Json::object(), "'sessions' is not an array"},
        {"/sessions/0", "sess_xyz", "sessions[0] is not an object"},
        {"/sessions/0/session_id", "", "sessions[0].session_id is not a non-empty string"},
        {"/sessions/0/user_id", 7, "sessions[0].user_id is not a non-empty string"},
        {"/sessions/0/created_at", "2026-02-15", "sessions[0].created_at is not an ISO-8601 timestamp"},
        {"/sessions/0/last_activity", nullptr, "sessions[0].last_activity is not an ISO-8601 timestamp"},
        {"/confirmations/0/confirmation_id", Json::array(), "confirmations[0].confirmation_id is not a non-empty string"},
        {"/confirmations/0/session_id", 1, "confirmations[0].session_id is not a non-empty string"},
        {"/confirmations/0/capability", "", "confirmations[0].capability is not a non-empty string"},
        {"/confirmations/0/created_at", "2026-02-15T25:00:00Z", "confirmations[0].created_at is not an ISO-8601 timestamp"},
        {"/confirmations/0/ttl", -1, "confirmations[0].ttl is not a non-negative number"},
        {"/confirmations/0/ttl", "120", "confirmations[0].ttl is not a non-negative number"},
        {"/dlq/-", "not an object", "dlq[0] is not an object"},
        {"/breakers/-", 13, "breakers[1] is not an object"},
    };
    for (const Bad& c : cases) {
        DYNAMIC_SECTION(c.message) {
            StateRepo f;
            Json j = documented_snapshot();
            j[Json::json_pointer(c.pointer)] = c.value;
            const auto r = f.run({"backup", "state", "--from", "-"}, j.dump());
            CHECK(r.exit_code == 3);
            CHECK(r.err == "soniabk: <stdin>: not a valid gateway state snapshot: " + c.message + "\n");
            CHECK((!fs::exists(f.repo / "state") || fs::is_empty(f.repo / "state")));
        }
    }
    SECTION("a missing documented field is named") {
        StateRepo f;
        Json j = documented_snapshot();
        j["confirmations"][0].erase("args");
        const auto r = f.run({"backup", "state", "--from", "-"}, j.dump());
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::EndsWith("confirmations[0] has no 'args'\n"));
    }
    SECTION("extra fields anywhere are kept as they are") {
        StateRepo f;
        Json j = documented_snapshot();
        j["gateway_version"] = "2.1";
        j["sessions"][0]["client"] = {{"ip", "127.0.0.1"}};
        j["confirmations"][0]["args"] = Json::array({1, "two", nullptr});
        j["dlq"].push_back({{"anything", true}});
        test::write_text(f.tmp / "extra.json", j.dump());
        const Json out = f.run_json({"backup", "state", "--from", (f.tmp / "extra.json").string()});
        CHECK(out["manifest"]["dlq_count"] == 1);
        CHECK(test::read_text(out["path"].get<std::string>()) == j.dump());
    }
}

TEST_CASE("cli state format: restore --dlq confirms by dlq_id, else id, else canonical JSON, and says which") {
    StateRepo f;
    Json snapshot = documented_snapshot();
    SECTION("id") {
        snapshot["dlq"] = dlq_entries("id");
        const Json out = f.replay(snapshot);
        CHECK(out["dlq"]["match"] == "id");
        CHECK(out["dlq"]["restored"] == Json::array({"e1", "e2", "e3"}));
    }
    SECTION("dlq_id wins over id") {
        snapshot["dlq"] = dlq_entries("dlq_id");
        for (auto& e : snapshot["dlq"]) e["id"] = "same-for-all";
        const Json out = f.replay(snapshot);
        CHECK(out["dlq"]["match"] == "dlq_id");
        CHECK(out["dlq"]["restored"] == Json::array({"e1", "e2", "e3"}));
    }
    SECTION("canonical JSON, whatever order the gateway keeps the keys in") {
        snapshot["dlq"] = dlq_entries(nullptr);
        const Json out = f.replay(snapshot, {"--fault", "restore-reorders-keys"});
        CHECK(out["ok"] == true);
        CHECK(out["dlq"]["match"] == "canonical_json");
        CHECK(out["dlq"]["restored"] == Json::array({"dlq[0]", "dlq[1]", "dlq[2]"}));
    }
    SECTION("canonical JSON finds a lost entry") {
        snapshot["dlq"] = dlq_entries(nullptr);
        const Json out = f.replay(snapshot, {"--fault", "restore-drops-one"});
        CHECK(out["ok"] == false);
        CHECK(out["dlq"]["missing"] == Json::array({"dlq[2]"}));
    }
}
