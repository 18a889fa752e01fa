#include "cli_fixture.hpp"
#include "commands/backup.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

const std::vector<std::string> drill_steps = {"backup_exists", "restore_database", "integrity_check", "search_test",
                                              "service_restart"};

// A fresh repository with one backup of a 40-memory store, taken `age` ago.
struct AgedBackupRepo {
    test::TempDir dir;
    fs::path repo = dir / "repo";
    fs::path tmp = dir / "tmp";

    explicit AgedBackupRepo(Duration age = 0s) {
        fs::create_directories(tmp);
        test::create_sample_db(dir / "memory.db", {.memories = 40});
        test::init_repo(repo);
        const FixedClock clock(std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()) - age);
        BackupDbOptions options;
        options.repo = repo;
        options.db = dir / "memory.db";
        options.format = BackupFormat::files;  // these cases are about stored files
        options.clock = &clock;
        backup_database(options);
    }

    test::ProcessResult drill(std::vector<std::string> args) const {
        std::vector<std::string> all{"drill", "--json", "--repo", repo.string()};
        all.insert(all.end(), args.begin(), args.end());
        return test::run_soniabk(all, {test::temp_dir_env(tmp), {}, {}});
    }

    fs::path data_file() const {
        for (const auto& item : fs::directory_iterator(repo / "db")) {
            if (item.path().extension() == ".db") return item.path();
        }
        return {};
    }
};

// passed:false, exit 1, an incident bundle, and `failing` the only step that did not pass.
void check_failed_drill(const AgedBackupRepo& r, const test::ProcessResult& result,
                        const std::string& failing) {
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const Json json = Json::parse(result.out);
    CHECK(json["passed"] == false);
    for (const auto& name : drill_steps) {
        if (failing.empty() || name != failing) {
            CHECK(test::drill_step(json, name)["passed"] == true);
        } else {
            CHECK(test::drill_step(json, name)["passed"] == false);
        }
    }
    REQUIRE(json["incident_path"].is_string());
    const fs::path bundle = json["incident_path"].get<std::string>();
    CHECK(bundle.parent_path() == r.repo / "incidents");
    for (const char* file : {"drill.json", "integrity_check.txt", "backups.json", "versions.txt", "manifest.json"}) {
        CHECK(fs::exists(bundle / file));
    }
    CHECK(Json::parse(test::read_text(bundle / "drill.json"))["drill_id"] == json["drill_id"]);
    CHECK(Json::parse(test::read_text(r.repo / "drills" / "last.json")) == json);
    CHECK(fs::is_empty(r.tmp));
}

}  // namespace

TEST_CASE("cli drill: a passing drill on a fresh repository with one backup, in the shape operators script against") {
    AgedBackupRepo r;
    const auto result = r.drill({});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const Json json = Json::parse(result.out);
    std::vector<std::string> keys;
    for (const auto& item : json.items()) keys.push_back(item.key());
    CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 8) ==
          std::vector<std::string>{"drill_id", "status", "passed", "rto_actual_seconds", "rto_target_seconds",
                                   "rpo_actual_seconds", "rpo_target_seconds", "steps"});
    CHECK(json["status"] == "completed");
    CHECK(json["passed"] == true);
    CHECK(json["rto_target_seconds"] == 60.0);
    CHECK(json["rpo_target_seconds"] == 86400.0);
    CHECK(json["rto_actual_seconds"].get<double>() < 60);
    std::vector<std::string> names;
    for (const auto& s : json["steps"]) {
        names.push_back(s["step"]);
        std::vector<std::string> step_keys;
        for (const auto& item : s.items()) step_keys.push_back(item.key());
        CHECK(step_keys == std::vector<std::string>{"step", "passed", "skipped", "duration_seconds", "detail"});
    }
    CHECK(names == drill_steps);
    CHECK(test::drill_step(json, "service_restart")["skipped"] == true);
    CHECK(json["incident_path"].is_null());
    CHECK_FALSE(fs::exists(r.repo / "incidents"));
    CHECK(fs::is_empty(r.tmp));
    CHECK(Json::parse(test::read_text(r.repo / "drills" / "last.json")) == json);

    const auto kept = r.drill({"--keep", "--latest"});
    CHECK(kept.exit_code == 0);
    CHECK(fs::is_directory(Json::parse(kept.out)["scratch_dir"].get<std::string>()));
}

TEST_CASE("cli drill: a restart command and a healthy service pass, the command sees the scratch database") {
    AgedBackupRepo r;
    test::HealthServer health = test::start_health_server(r.dir.path());
    const auto result = r.drill({"--restart-cmd", test::shell_echo_if_file("SONIABK_DRILL_DB", "restarted"), "--health-url",
                                 health.url, "--search", "tea", "--expect-min", "36"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    const Json json = Json::parse(result.out);
    CHECK(test::drill_step(json, "service_restart")["skipped"] == false);
    CHECK_THAT(test::drill_step(json, "service_restart")["detail"].get<std::string>(), Catch::Contains("HTTP 200"));
    CHECK_THAT(test::drill_step(json, "search_test")["detail"].get<std::string>(), Catch::Contains("36 non-archived"));
}

TEST_CASE("cli drill: each step failing on its own fails the drill with an incident bundle") {
    SECTION("stale backup") {
        AgedBackupRepo r(25h);
        check_failed_drill(r, r.drill({"--rpo", "24h"}), "backup_exists");
    }
    SECTION("search miss") {
        AgedBackupRepo r;
        check_failed_drill(r, r.drill({"--search", "zebra", "--expect-min", "1"}), "search_test");
    }
    SECTION("health URL down") {
        AgedBackupRepo r;
        check_failed_drill(r, r.drill({"--health-url", test::unreachable_url(), "--health-timeout", "500ms"}),
                           "service_restart");
    }
    SECTION("health URL unhealthy") {
        AgedBackupRepo r;
        test::HealthServer health = test::start_health_server(r.dir.path(), 503);
        check_failed_drill(r, r.drill({"--health-url", health.url, "--health-timeout", "500ms"}), "service_restart");
    }
    SECTION("restart command failing") {
        AgedBackupRepo r;
        const auto result = r.drill({"--restart-cmd", test::shell_exit(4, "sonia.service not found")});
        check_failed_drill(r, result, "service_restart");
        CHECK_THAT(Json::parse(result.out)["steps"][4]["detail"].get<std::string>(),
                   Catch::Contains("exited with status 4: sonia.service not found"));
    }
    SECTION("RTO exceeded") {
        AgedBackupRepo r;
        const auto result = r.drill({"--rto", "1ms"});
        check_failed_drill(r, result, "");
        CHECK(Json::parse(result.out)["status"] == "completed");
    }
}

TEST_CASE("cli drill: a corrupted backup fails restore_database and the steps after it cannot run") {
    AgedBackupRepo r;
    {
        std::fstream f(r.data_file(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4100);
        f.put('\x7f');
    }
    const auto result = r.drill({});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const Json json = Json::parse(result.out);
    CHECK(json["passed"] == false);
    CHECK(json["status"] == "failed");
    CHECK(test::drill_step(json, "backup_exists")["passed"] == true);
    CHECK(test::drill_step(json, "restore_database")["passed"] == false);
    CHECK_THAT(test::drill_step(json, "restore_database")["detail"].get<std::string>(), Catch::Contains("SHA-256"));
    for (const char* name : {"integrity_check", "search_test", "service_restart"}) {
        CHECK(test::drill_step(json, name)["passed"] == false);
        CHECK(test::drill_step(json, name)["skipped"] == true);
    }
    REQUIRE(json["incident_path"].is_string());
    const fs::path bundle = json["incident_path"].get<std::string>();
    CHECK(test::read_text(bundle / "integrity_check.txt") == "not run\n");
    CHECK(Json::parse(test::read_text(bundle / "restore.json"))["error"]["code"] == "backup_damaged");
    CHECK(fs::is_empty(r.tmp));
}

TEST_CASE("cli drill: a failing drill's text verdict says why it failed, never FAILED (failed)") {
    AgedBackupRepo r;
    const auto missed_rto = test::run_soniabk({"drill", "--repo", r.repo.string(), "--rto", "1ms"}, {test::temp_dir_env(r.tmp), {}, {}});
    CHECK(missed_rto.exit_code == 1);
    CHECK_THAT(missed_rto.out, Catch::Contains("\nFAILED: RTO "));
    {
        std::fstream f(r.data_file(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4100);
        f.put('\x7f');
    }
    const auto damaged = test::run_soniabk({"drill", "--repo", r.repo.string()}, {test::temp_dir_env(r.tmp), {}, {}});
    INFO(damaged.out << damaged.err);
    CHECK(damaged.exit_code == 1);
    CHECK_THAT(damaged.out, Catch::Contains("\nFAILED (a step could not run): RTO "));
    CHECK_THAT(damaged.out + missed_rto.out, !Catch::Contains("(failed)"));
}

TEST_CASE("cli drill: an empty or missing repository") {
    test::TempDir dir;
    SECTION("no backup at all: a failed drill") {
        fs::create_directories(dir / "repo");
        const auto result = test::run_soniabk({"drill", "--json", "--repo", (dir / "repo").string()});
        CHECK(result.exit_code == 1);
        const Json json = Json::parse(result.out);
        CHECK(json["status"] == "failed");
        CHECK(json["rpo_actual_seconds"].is_null());
        CHECK(fs::is_directory(json["incident_path"].get<std::string>()));
    }
    SECTION("no repository: an error") {
        const auto result = test::run_soniabk({"drill", "--json", "--repo", (dir / "nowhere").string()});
        CHECK(result.exit_code == 3);
        CHECK(Json::parse(result.out)["error"]["code"] == "repo_missing");
    }
}
