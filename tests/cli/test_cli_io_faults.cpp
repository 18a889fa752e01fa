// Walks an injected I/O failure over every I/O call of one run of each writing command (SONIABK_FAULT=io#N:KIND):
// each outcome is one clear error, nothing complete-looking fails verification, the live database stays whole,
// and the next run succeeds.
#include "base/json.hpp"
#include "fake_repo.hpp"
#include "gateway_process.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <functional>
#include <set>

using namespace soniabk;
namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 4> fault_kinds{"eio", "enospc", "eacces", "short"};
constexpr int max_calls = 2000;  // a walk that finds no end is a test failure, not a hang

// What a run that failed with an error may leave: nothing, or (prune, forget: manifests go first) data files
// without a manifest, shown as incomplete, that the next run removes.
enum class Leftovers { none, incomplete };

// One command's starting state, built once and copied for each run.
struct Walk {
    std::vector<std::string> args;                       // after --json --repo --db; "{dir}" is the run's folder
    std::function<void(const fs::path& dir)> prepare;    // makes memory.db, repo/ and anything else in `dir`
    std::string verify_depth = "--deep";                 // "" for hand-made repositories of non-SQLite data
    bool may_change_db = false;                          // restore and purge: the live database is old or new
    Leftovers after_failure = Leftovers::none;
};

std::vector<std::string> substituted(std::vector<std::string> args, const fs::path& dir) {
    for (auto& a : args) {
        if (const auto at = a.find("{dir}"); at != std::string::npos) a.replace(at, 5, dir.string());
    }
    return args;
}

test::ProcessResult run_in(const fs::path& dir, std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args = substituted(std::move(args), dir);
    args.insert(args.begin(), {"--json", "--repo", (dir / "repo").string(), "--db", (dir / "memory.db").string()});
    env["SONIABK_KEY_FILE"] = (dir / "key").string();
    test::ProcessOptions options;
    options.env = std::move(env);
    return test::run_soniabk(args, options);
}

// Temps (`.<name>.tmp-<pid>-<n>`) anywhere below `dir`.
// Every complete-looking backup verifies; unless `allowed` says otherwise, no incomplete backup and no temp is
// left behind.
void check_repository(const fs::path& dir, const std::string& depth, Leftovers allowed = Leftovers::none) {
    if (!fs::exists(dir / "repo")) return;
    std::vector<std::string> args{"verify", "--all"};
    if (!depth.empty()) args.push_back(depth);
    const auto verified = run_in(dir, args);
    INFO(verified.out);
    for (const auto& b : Json::parse(verified.out).value("backups", Json::array())) {
        const bool incomplete = b["checks"][0]["detail"] == "no manifest: the backup did not finish";
        if (!(incomplete && allowed == Leftovers::incomplete)) CHECK(b["passed"] == true);
    }
    CHECK(test::temps_below(dir / "repo").empty());
}

void check_live_database(const fs::path& dir, const std::set<std::int64_t>& allowed_counts) {
    const fs::path db = dir / "memory.db";
    REQUIRE(fs::exists(db));
    CHECK(test::integrity_ok(db));
    CHECK(allowed_counts.contains(test::count_rows(db, "memories")));
}

// A copy of `start` in a new folder inside `parent`: mingw's fs::copy will not copy into a folder that exists.
fs::path fresh_copy(const fs::path& start, const test::TempDir& parent) {
    const fs::path copy = parent / "run";
    fs::copy(start, copy, fs::copy_options::recursive);
    return copy;
}

// One run with the n-th I/O call failing; returns false once the run had fewer than n calls (the walk's end).
bool run_with_fault(const Walk& walk, const fs::path& start, int n, const std::set<std::int64_t>& allowed_counts) {
    test::TempDir run_dir;
    const fs::path dir = fresh_copy(start, run_dir);
    const std::string kind = fault_kinds[static_cast<std::size_t>(n) % fault_kinds.size()];
    const fs::path log = dir / "fault.log";
    const auto failed = run_in(dir, walk.args, {{"SONIABK_FAULT", "io#" + std::to_string(n) + ":" + kind},
                                                {"SONIABK_FAULT_LOG", log.string()}});
    const bool fired = fs::exists(log);
    INFO("I/O call " << n << " failing with " << kind << (fired ? " (" + test::read_text(log) + ")" : "") << "\n"
                     << failed.err);
    CHECK(failed.signal == 0);
    CHECK_THAT(failed.err, !Catch::Contains("internal error") && !Catch::Contains("terminate"));
    const Json doc = Json::parse(failed.out);  // exactly one JSON document, whatever happened
    if (!fired) {
        CHECK(failed.exit_code == 0);
        return false;
    }
    if (failed.exit_code == 0) {  // a call the command could do without (another backup's manifest, say)
        check_repository(dir, walk.verify_depth);
        check_live_database(dir, allowed_counts);
        return true;
    }
    CHECK(failed.exit_code == 3);
    CHECK(doc["ok"] == false);
    CHECK(std::count(failed.err.begin(), failed.err.end(), '\n') == 1);
    check_repository(dir, walk.verify_depth, walk.after_failure);
    check_live_database(dir, allowed_counts);
    const auto next = run_in(dir, walk.args);
    INFO("the next run: " << next.err);
    CHECK(next.exit_code == 0);
    check_repository(dir, walk.verify_depth);
    return true;
}

// Runs `walk` with each I/O call failing in turn; returns how many I/O calls one run makes.
int walk_every_io_call(const Walk& walk) {
    test::TempDir start;
    walk.prepare(start.path());
    std::set<std::int64_t> allowed{test::count_rows(start / "memory.db", "memories")};
    if (walk.may_change_db) {
        test::TempDir clean;
        const fs::path dir = fresh_copy(start.path(), clean);
        REQUIRE(run_in(dir, walk.args).exit_code == 0);
        allowed.insert(test::count_rows(dir / "memory.db", "memories"));
    }
    int n = 1;
    while (n < max_calls && run_with_fault(walk, start.path(), n, allowed)) ++n;
    CHECK(n < max_calls);
    return n - 1;
}

void sample_with_backup(const fs::path& dir, std::vector<std::string> backup_args = {"backup", "db"}) {
    test::create_sample_db(dir / "memory.db", {.memories = 300});
    REQUIRE(run_in(dir, {"keygen", "{dir}/key"}).exit_code == 0);
    REQUIRE(run_in(dir, {"init"}).exit_code == 0);
    REQUIRE(run_in(dir, backup_args).exit_code == 0);
}

}  // namespace

TEST_CASE("cli io faults: backup db, plain and compressed + encrypted, at every I/O call") {
    const bool encoded = GENERATE(false, true);
    std::vector<std::string> args{"backup", "db"};
    if (encoded) args.insert(args.end(), {"--compress", "zstd", "--encrypt"});
    INFO(fmt::format("{}", fmt::join(args, " ")));
    const Walk walk{.args = args, .prepare = [&](const fs::path& dir) { sample_with_backup(dir, args); }};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: restore at every I/O call leaves the live database old or new") {
    const Walk walk{.args = {"restore", "--latest"},
                    .prepare =
                        [](const fs::path& dir) {
                            sample_with_backup(dir);
                            fs::remove(dir / "memory.db");
                            test::create_sample_db(dir / "memory.db", {.memories = 40});
                        },
                    .may_change_db = true};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: purge-archived at every I/O call") {
    const Walk walk{.args = {"purge-archived", "--older-than", "1d"},
                    .prepare = [](const fs::path& dir) { sample_with_backup(dir); },
                    .may_change_db = true};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: prune and forget at every I/O call") {
    const bool forget = GENERATE(false, true);
    std::vector<std::string> args{"prune"};
    if (forget) args = {"forget", "bkp_20261110T020000Z"};
    INFO(args[0]);
    const Walk walk{.args = args,
                    .prepare =
                        [](const fs::path& dir) {
                            test::create_sample_db(dir / "memory.db", {.memories = 20});
                            for (int day = 10; day <= 21; ++day) {
                                test::add_fake_backup(dir / "repo", test::at(fmt::format("2026-11-{}T02:00:00Z", day)));
                            }
                        },
                    .verify_depth = "",
                    .after_failure = Leftovers::incomplete};
    CHECK(walk_every_io_call(walk) > 5);
}

TEST_CASE("cli io faults: backup state --from at every I/O call") {
    const Walk walk{.args = {"backup", "state", "--from", "{dir}/state.json"},
                    .prepare = [](const fs::path& dir) {
                        test::create_sample_db(dir / "memory.db", {.memories = 20});
                        REQUIRE(run_in(dir, {"init"}).exit_code == 0);
                        test::write_text(dir / "state.json", R"({"backup_id": "gw-1", "timestamp": "2026-11-26T00:00:00Z",
                            "sessions": [], "confirmations": [], "dlq": [], "breakers": []})");
                    }};
    CHECK(walk_every_io_call(walk) > 5);
}

TEST_CASE("cli io faults: backup all at every I/O call") {
    test::TempDir gw_dir;
    const test::GatewayProcess gw(gw_dir / "gw");
    const Walk walk{.args = {"backup", "all", "--gateway", gw.url(), "--gateway-dir", gw.dir().string()},
                    .prepare =
                        [](const fs::path& dir) {
                            test::create_sample_db(dir / "memory.db", {.memories = 50});
                            REQUIRE(run_in(dir, {"init"}).exit_code == 0);
                        }};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: init at every I/O call") {
    const Walk walk{.args = {"init"},
                    .prepare = [](const fs::path& dir) { test::create_sample_db(dir / "memory.db", {.memories = 20}); }};
    CHECK(walk_every_io_call(walk) > 3);
}

TEST_CASE("cli io faults: copy to another repository at every I/O call") {
    const std::string format = GENERATE("files", "pages");
    INFO(format);
    const Walk walk{.args = {"copy", "--from", "{dir}/source", "--to", "{dir}/repo", "--all"},
                    .prepare =
                        [&](const fs::path& dir) {
                            test::create_sample_db(dir / "memory.db", {.memories = 300});
                            REQUIRE(run_in(dir, {"init", "--format", format}).exit_code == 0);
                            REQUIRE(run_in(dir, {"backup", "db"}).exit_code == 0);
                            REQUIRE(run_in(dir, {"backup", "db"}).exit_code == 0);
                            fs::rename(dir / "repo", dir / "source");
                            REQUIRE(run_in(dir, {"init", "--format", format}).exit_code == 0);
                        },
                    .after_failure = Leftovers::incomplete};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: replicate at every I/O call: its base, its segments, its lineage record") {
    // A failed shipment is retried at the next interval: a run either ships everything or says what it could not.
    const Walk walk{.args = {"replicate", "--for", "300ms"},
                    .prepare =
                        [&](const fs::path& dir) {
                            test::create_sample_db(dir / "memory.db", {.memories = 300});
                            REQUIRE(run_in(dir, {"init"}).exit_code == 0);
                        },
                    .after_failure = Leftovers::incomplete};
    CHECK(walk_every_io_call(walk) > 10);
}

TEST_CASE("cli io faults: restore state --dlq at every I/O call") {
    test::TempDir gw_dir;
    const test::GatewayProcess gw(gw_dir / "gw");
    const Walk walk{.args = {"restore", "state", "--latest", "--dlq", "--gateway", gw.url()},
                    .prepare = [&](const fs::path& dir) {
                        test::create_sample_db(dir / "memory.db", {.memories = 20});
                        REQUIRE(run_in(dir, {"init"}).exit_code == 0);
                        const auto backup =
                            run_in(dir, {"backup", "state", "--gateway", gw.url(), "--gateway-dir", gw.dir().string()});
                        REQUIRE(backup.exit_code == 0);
                    }};
    CHECK(walk_every_io_call(walk) > 3);
}
