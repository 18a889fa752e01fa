#include "gateway_process.hpp"
#include "repo_init.hpp"
#include "io/hash.hpp"
#include "base/json.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <set>

using namespace soniabk;
using test::GatewayProcess;
namespace fs = std::filesystem;

namespace {

// Every file under the repository except its config, journal and lock: what a failed run must not change.
std::set<std::string> repo_files(const fs::path& repo) {
    std::set<std::string> names;
    std::error_code ec;
    for (const auto& item : fs::recursive_directory_iterator(repo, ec)) {
        const std::string name = item.path().filename().string();
        if (item.is_regular_file() && name != "journal.jsonl" && name != ".lock" &&
            name != "config.json") names.insert(fs::relative(item.path(), repo).generic_string());
    }
    return names;
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// A snapshot in the documented format with `dlq` entries identified by `id_field` ("" : no id at all).
Json snapshot(int dlq, const std::string& id_field = "dlq_id") {
    Json s = Json::parse(R"({"backup_id": "gw-import", "timestamp": "2026-11-26T00:00:00Z",
        "sessions": [{"session_id": "s1", "user_id": "u@example.com", "created_at": "2026-11-26T00:00:00Z",
                      "last_activity": "2026-11-26T00:10:00Z"}],
        "confirmations": [{"confirmation_id": "c1", "session_id": "s1", "capability": "file.write",
                           "args": {"path": "/tmp/x"}, "created_at": "2026-11-26T00:05:00Z", "ttl": 120}],
        "dlq": [], "breakers": [{"name": "memory", "state": "closed"}]})");
    for (int i = 1; i <= dlq; ++i) {
        Json entry = {{"capability", "memory.write"}, {"payload", {{"n", i}, {"text", "entry " + std::to_string(i)}}}};
        if (!id_field.empty()) entry[id_field] = "imp-" + std::to_string(i);
        s["dlq"].push_back(entry);
    }
    return s;
}

std::string snapshot_text(int dlq) { return snapshot(dlq).dump(); }

test::ProcessOptions with_stdin(std::string text) {
    test::ProcessOptions options;
    options.stdin_text = std::move(text);
    return options;
}

struct GatewayStateRepo {
    test::TempDir tmp;
    fs::path repo = tmp / "repo";
    fs::path gw_dir = tmp / "gw";

    GatewayStateRepo() { test::init_repo(repo); }

    test::ProcessResult backup(const GatewayProcess& gw, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"--json", "--repo", repo.string(), "backup", "state", "--gateway", gw.url(),
                                      "--gateway-dir", gw.dir().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return test::run_soniabk(args);
    }
    test::ProcessResult run(std::vector<std::string> args, const test::ProcessOptions& options = {}) const {
        args.insert(args.begin(), {"--repo", repo.string()});
        return test::run_soniabk(args, options);
    }
    // One backup of the default gateway state (dlq-1..3), whose gateway is then gone, as after a crash.
    void backup_from_a_gateway() const {
        GatewayProcess before_crash(gw_dir);
        REQUIRE(backup(before_crash).exit_code == 0);
    }
    // One earlier backup, imported, so a failed run can be shown to leave it alone.
    std::set<std::string> earlier_backup() const {
        test::write_text(tmp / "earlier.json", snapshot_text(1));
        REQUIRE(run({"backup", "state", "--from", (tmp / "earlier.json").string()}).exit_code == 0);
        return repo_files(repo);
    }
};

}  // namespace

TEST_CASE("cli state: backup state stores a verified copy in the gateway's shape") {
    GatewayStateRepo f;
    GatewayProcess gw(f.gw_dir);
    const auto r = f.backup(gw);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const Json out = Json::parse(r.out);
    CHECK(out["ok"] == true);
    CHECK(out["backup_id"].get<std::string>().starts_with("bkp_"));
    CHECK(out["manifest"] == Json::parse(R"({"sessions_count":2,"confirmations_count":1,"dlq_count":3,"breakers_count":2,
                                             "sha256":")" + out["manifest"]["sha256"].get<std::string>() + "\"}"));
    const fs::path stored = out["path"].get<std::string>();
    CHECK(stored.parent_path() == f.repo / "state");
    CHECK(stored.filename().string().starts_with("gateway-state-"));
    CHECK(hash_file(stored).sha256 == out["manifest"]["sha256"]);
    CHECK(test::read_text(stored) == test::read_text(out["gateway_path"].get<std::string>()));
    CHECK(out["gateway_backup_id"] == "gw-0001");

    SECTION("a second backup never overwrites the first") {
        const std::string first = test::read_text(stored);
        const auto again = f.backup(gw);
        REQUIRE(again.exit_code == 0);
        CHECK(Json::parse(again.out)["path"] != out["path"]);
        CHECK(test::read_text(stored) == first);
        CHECK(repo_files(f.repo).size() == 4);  // two snapshots, two manifests
    }
    SECTION("list and verify --deep handle state backups") {
        const Json listed = Json::parse(f.run({"--json", "list", "--kind", "state"}).out);
        REQUIRE(listed["backups"].size() == 1);
        CHECK(listed["backups"][0]["kind"] == "state");
        CHECK(listed["backups"][0]["complete"] == true);
        const auto verified = f.run({"--json", "verify", "--all", "--deep"});
        CHECK(verified.exit_code == 0);
        CHECK_THAT(verified.out, Catch::Contains("\"structure\"") && Catch::Contains("dlq 3"));
    }
    SECTION("human output names the counts") {
        const auto human = test::run_soniabk({"--repo", f.repo.string(), "backup", "state", "--gateway", gw.url(),
                                              "--gateway-dir", gw.dir().string()});
        CHECK_THAT(human.out, Catch::Contains("sessions 2, confirmations 1, dlq 3, breakers 2"));
    }
}

TEST_CASE("cli state: --from FILE and --from - import with the same validation") {
    GatewayStateRepo f;
    test::write_text(f.tmp / "snap.json", snapshot_text(2));
    const auto from_file = f.run({"--json", "backup", "state", "--from", (f.tmp / "snap.json").string(), "--label", "manual"});
    REQUIRE(from_file.exit_code == 0);
    CHECK(Json::parse(from_file.out)["manifest"]["dlq_count"] == 2);
    CHECK(Json::parse(from_file.out)["method"] == "import");
    const auto from_stdin = f.run({"--json", "backup", "state", "--from", "-"}, with_stdin(snapshot_text(5)));
    REQUIRE(from_stdin.exit_code == 0);
    CHECK(Json::parse(from_stdin.out)["manifest"]["dlq_count"] == 5);
    const std::set<std::string> before = repo_files(f.repo);
    const auto broken = f.run({"backup", "state", "--from", "-"}, with_stdin(R"({"sessions":[]})"));
    CHECK(broken.exit_code == 3);
    CHECK(broken.err == "soniabk: <stdin>: not a valid gateway state snapshot: missing array 'confirmations', 'dlq', 'breakers'\n");
    CHECK(repo_files(f.repo) == before);
    const auto both = f.run({"backup", "state", "--from", "-", "--gateway", "http://127.0.0.1:7000"});
    CHECK(both.exit_code == 2);
}

namespace {

struct BadAnswer {
    std::string name;
    std::vector<std::string> gateway_args;
    std::vector<std::string> backup_args;
    int exit_code;
    std::string message;
};

// Each bad answer: one clear line, the documented exit code, and the repository exactly as it was.
void check_bad_answers(const std::vector<BadAnswer>& cases) {
    for (const BadAnswer& c : cases) {
        DYNAMIC_SECTION(c.name) {
            GatewayStateRepo f;
            const std::set<std::string> before = f.earlier_backup();
            GatewayProcess gw(f.gw_dir, c.gateway_args);
            std::vector<std::string> args{"--repo", f.repo.string(), "backup", "state", "--gateway", gw.url(), "--gateway-dir",
                                          gw.dir().string()};
            args.insert(args.end(), c.backup_args.begin(), c.backup_args.end());
            const auto r = test::run_soniabk(args);
            INFO(r.err);
            CHECK(r.exit_code == c.exit_code);
            CHECK_THAT(r.err, Catch::StartsWith("soniabk: ") && Catch::Contains(c.message));
            CHECK(line_count(r.err) == 1);
            CHECK(r.out.empty());
            CHECK(repo_files(f.repo) == before);  // no new data, manifest or temp file
        }
    }
}

}  // namespace

TEST_CASE("cli state: bad gateway answers are one clear line, exit 3, repository unchanged") {
    check_bad_answers({
        {"5xx", {"--fault", "http-500"}, {}, 3, "HTTP 500: internal error: injected"},
        {"timeout", {"--slow-ms", "3000"}, {"--timeout", "300ms"}, 3, "300ms"},
        {"invalid JSON answer", {"--fault", "malformed-json"}, {}, 3, "unexpected answer: not valid JSON"},
        {"dropped connection", {"--fault", "drop"}, {}, 3, "connection dropped"},
    });
}

TEST_CASE("cli state: bad snapshot content is refused, repository unchanged") {
    check_bad_answers({
        {"invalid JSON snapshot", {"--fault", "bad-snapshot"}, {}, 3, "not valid JSON: document ends"},
        {"missing arrays", {"--fault", "missing-arrays"}, {}, 3, "missing array 'dlq', 'breakers'"},
        {"counts that disagree", {"--fault", "counts"}, {}, 1,
         "holds sessions 2, confirmations 1, dlq 3, breakers 2 but the gateway's manifest says sessions 2, confirmations 1, dlq 4"},
        {"SHA-256 mismatch", {"--fault", "wrong-sha"}, {}, 1, "does not match the gateway's manifest"},
    });
}

TEST_CASE("cli state: a path outside the gateway's folder is never read, repository unchanged") {
    check_bad_answers({
        {"path outside the folder", {"--fault", "path-outside"}, {}, 3, "outside the gateway's backups folder"},
        {"relative path", {"--fault", "path-relative"}, {}, 3, "a relative path"},
        {"path with ..", {"--fault", "path-dotdot"}, {}, 3, "contains '..'"},
    });
}

TEST_CASE("cli state: a symlink out of the gateway's folder is never followed, repository unchanged") {
    SONIABK_SKIP_ON_WINDOWS("mingw's std::filesystem cannot make the symbolic link the fake gateway would serve");
    check_bad_answers({{"symlink out of the folder", {"--fault", "path-symlink"}, {}, 3, "resolves to"}});
}

TEST_CASE("cli state: gateway down, no gateway folder, and --json errors") {
    GatewayStateRepo f;
    const std::set<std::string> before = f.earlier_backup();
    const auto down = f.run({"--json", "backup", "state", "--gateway", "http://127.0.0.1:1", "--gateway-dir", f.tmp.path().string()});
    CHECK(down.exit_code == 3);
    const Json error = Json::parse(down.out);
    CHECK(error["ok"] == false);
    CHECK(error["error"]["code"] == "unreachable");
    CHECK_THAT(error["error"]["message"].get<std::string>(), Catch::Contains("POST http://127.0.0.1:1/v1/backups: connection refused"));
    const auto no_dir = f.run({"backup", "state", "--gateway", "http://127.0.0.1:1"});
    CHECK(no_dir.exit_code == 2);
    CHECK_THAT(no_dir.err, Catch::Contains("--gateway-dir"));
    CHECK(repo_files(f.repo) == before);
}

TEST_CASE("cli state: an empty DLQ is backed up, and restoring it posts nothing") {
    GatewayStateRepo f;
    GatewayProcess gw(f.gw_dir, {"--dlq", "0"});
    const auto r = f.backup(gw);
    REQUIRE(r.exit_code == 0);
    CHECK(Json::parse(r.out)["manifest"]["dlq_count"] == 0);
    const auto restore = f.run({"restore", "state", "--latest", "--dlq", "--gateway", gw.url()});
    CHECK(restore.exit_code == 0);
    CHECK_THAT(restore.out, Catch::Contains("DLQ is empty: nothing to restore"));
    CHECK_THAT(gw.request_log(), !Catch::Contains("restore/dlq"));
}

TEST_CASE("cli state: a 200 MB snapshot streams with flat memory") {
    GatewayStateRepo f;
    GatewayProcess gw(f.gw_dir, {"--big-mb", "200"});
    const auto r = f.backup(gw);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const Json out = Json::parse(r.out);
    CHECK(out["size_bytes"].get<std::uint64_t>() >= 200ull * 1024 * 1024);
    CHECK(out["manifest"]["dlq_count"].get<std::uint64_t>() > 3000);
    CHECK(fs::file_size(out["path"].get<std::string>()) == fs::file_size(out["gateway_path"].get<std::string>()));
#if defined(__SANITIZE_ADDRESS__)
    // ASan's shadow memory and quarantine, not soniabk's buffers: this only catches a whole-snapshot buffer
    // (which would be 400 MB and more here); the flat-memory figure is the plain build's 64 MB.
    const std::uint64_t limit_mb = 320;
#else
    const std::uint64_t limit_mb = 64;
#endif
    INFO("peak RSS of soniabk: " << r.peak_memory_bytes / (1024 * 1024) << " MB");
    CHECK(r.peak_memory_bytes > 0);
    CHECK(r.peak_memory_bytes < limit_mb * 1024 * 1024);
}

TEST_CASE("cli state: restore --dlq gives the DLQ back to a fresh gateway and confirms every id") {
    GatewayStateRepo f;
    f.backup_from_a_gateway();
    SECTION("all restored") {
        GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
        const auto r = f.run({"--json", "restore", "state", "--latest", "--dlq", "--gateway", fresh.url()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const Json out = Json::parse(r.out);
        CHECK(out["dlq"]["match"] == "dlq_id");
        CHECK(out["dlq"]["restored"] == Json::array({"dlq-1", "dlq-2", "dlq-3"}));
        CHECK(out["dlq"]["missing"].empty());
        CHECK(out["not_restored"]["sessions_count"] == 2);
        CHECK_THAT(out["not_restored"]["reason"].get<std::string>(), Catch::Contains("ephemeral"));
        CHECK_THAT(fresh.request_log(), Catch::Contains("POST /v1/backups/restore/dlq 200") &&
                                            Catch::Contains("GET /v1/dead-letters 200"));
        const auto human = f.run({"restore", "state", "--latest", "--dlq", "--gateway", fresh.url()});
        CHECK_THAT(human.out, Catch::Contains("restored 3 of 3") && Catch::Contains("matched by dlq_id") &&
                                  Catch::Contains("not restored: sessions 2, confirmations 1"));
    }
    SECTION("an entry the gateway lost is reported missing, exit 1") {
        GatewayProcess lossy(f.tmp / "gw2", {"--dlq", "0", "--fault", "restore-drops-one"});
        const auto r = f.run({"--json", "restore", "state", "--latest", "--dlq", "--gateway", lossy.url()});
        CHECK(r.exit_code == 1);
        const Json out = Json::parse(r.out);
        CHECK(out["ok"] == false);
        CHECK(out["dlq"]["missing"] == Json::array({"dlq-3"}));
    }
    SECTION("--dry-run and --extract post nothing") {
        GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
        const auto dry = f.run({"restore", "state", "--latest", "--dlq", "--dry-run", "--gateway", fresh.url()});
        CHECK(dry.exit_code == 0);
        CHECK_THAT(dry.out, Catch::Contains("would POST " + fresh.url() + "/v1/backups/restore/dlq") &&
                                Catch::Contains("dlq-1, dlq-2, dlq-3"));
        const auto extract = f.run({"--json", "restore", "state", "--latest", "--extract", "confirmations"});
        REQUIRE(extract.exit_code == 0);
        CHECK(Json::parse(extract.out)[0]["confirmation_id"] == "conf-1");
        CHECK(Json::parse(extract.out)[0]["args"] == Json::parse(R"({"path": "/tmp/test.txt", "content": "hello"})"));
        CHECK(fresh.request_log().empty());
    }
}

TEST_CASE("cli state: restore refuses failing gateways, damaged backups and unclear requests") {
    GatewayStateRepo f;
    f.backup_from_a_gateway();
    SECTION("gateway failures are one line, exit 3") {
        GatewayProcess failing(f.tmp / "gw2", {"--fault", "restore-500"});
        const auto r = f.run({"restore", "state", "--latest", "--dlq", "--gateway", failing.url()});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("HTTP 500: restore failed"));
        CHECK(line_count(r.err) == 1);
        const auto down = f.run({"restore", "state", "--latest", "--dlq", "--gateway", "http://127.0.0.1:1"});
        CHECK(down.exit_code == 3);
        CHECK_THAT(down.err, Catch::Contains("connection refused"));
    }
    SECTION("a damaged backup is never posted") {
        GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
        const Json listed = Json::parse(f.run({"--json", "list"}).out);
        const fs::path data = listed["backups"][0]["path"].get<std::string>();
        std::string bytes = test::read_text(data);
        bytes[bytes.size() / 2] ^= 0x20;
        test::write_text(data, bytes);
        const auto r = f.run({"restore", "state", "--latest", "--dlq", "--gateway", fresh.url()});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("the manifest says"));
        CHECK(fresh.request_log().empty());
    }
    SECTION("usage errors") {
        CHECK(f.run({"restore", "state", "--latest"}).exit_code == 2);
        CHECK(f.run({"restore", "state", "--dlq"}).exit_code == 2);
    }
}

TEST_CASE("cli state: verify --deep finds a snapshot whose structure broke behind a matching manifest") {
    GatewayStateRepo f;
    test::write_text(f.tmp / "snap.json", snapshot_text(2));
    const Json out = Json::parse(f.run({"--json", "backup", "state", "--from", (f.tmp / "snap.json").string()}).out);
    const fs::path data = out["path"].get<std::string>();
    const fs::path manifest_path = out["manifest_path"].get<std::string>();
    // Rewrite data and manifest consistently, as a buggy tool might: size and SHA-256 still agree.
    Json bad = snapshot(2);
    bad["confirmations"][0]["ttl"] = -5;
    const std::string broken = bad.dump();
    test::write_text(data, broken);
    Json manifest = Json::parse(test::read_text(manifest_path));
    manifest["size_bytes"] = broken.size();
    manifest["sha256"] = hash_file(data).sha256;
    test::write_text(manifest_path, manifest.dump());
    CHECK(f.run({"verify", "--all"}).exit_code == 0);
    const auto deep = f.run({"verify", "--all", "--deep"});
    CHECK(deep.exit_code == 1);
    CHECK_THAT(deep.out, Catch::Contains("structure") && Catch::Contains("confirmations[0].ttl is not a non-negative number"));
}

TEST_CASE("cli state: a backup killed before publishing leaves no complete-looking backup") {
    GatewayStateRepo f;
    const std::set<std::string> before = f.earlier_backup();
    GatewayProcess gw(f.gw_dir);
    test::ProcessOptions fault;
    fault.env["SONIABK_FAULT"] = "backup_state.before_publish";
    const auto killed = test::run_soniabk(
        {"--repo", f.repo.string(), "backup", "state", "--gateway", gw.url(), "--gateway-dir", gw.dir().string()}, fault);
    CHECK(killed.signal == SIGKILL);
    for (const auto& name : repo_files(f.repo)) {
        if (!before.contains(name)) CHECK(fs::path(name).filename().string().starts_with("."));  // only a hidden temp
    }
    CHECK(Json::parse(f.run({"--json", "list"}).out)["backups"].size() == 1);
    CHECK(f.backup(gw).exit_code == 0);
    CHECK(Json::parse(f.run({"--json", "list"}).out)["backups"].size() == 2);
}
