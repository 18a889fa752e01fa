#include "fake_repo.hpp"
#include "base/json.hpp"
#include "process.hpp"
#include "repo/repository.hpp"
#include "temp_dir.hpp"
#include "commands/verify.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <csignal>
#include <set>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

// Twelve daily backups at 02:00 from 1 to 12 November 2026 and one manual; returns the daily ids, newest first.
std::vector<std::string> make_repo(const fs::path& repo) {
    std::vector<std::string> ids;
    for (int day = 12; day >= 1; --day) {
        ids.push_back(test::add_fake_backup(repo, test::at(fmt::format("2026-11-{:02}T02:00:00Z", day)),
                                            {.content = fmt::format("backup of day {}", day)}));
    }
    test::add_fake_backup(repo, test::at("2026-10-01T02:00:00Z"), {.label = "manual"});
    return ids;
}

Json run_json(const fs::path& repo, const std::vector<std::string>& args, int expected_exit = 0,
              const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {"--json", "--repo", repo.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    test::ProcessOptions options;
    options.env = env;
    const auto r = test::run_soniabk(argv, options);
    INFO(r.err);
    CHECK(r.exit_code == expected_exit);
    return Json::parse(r.out);
}

std::set<std::string> ids_of(const Json& list) {
    std::set<std::string> ids;
    for (const auto& item : list) ids.insert(item["backup_id"].get<std::string>());
    return ids;
}

}  // namespace

TEST_CASE("cli prune: JSON plan, and a dry run shows exactly what the real run then does") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = make_repo(repo);
    const Json planned = run_json(repo, {"prune", "--dry-run", "--keep-daily", "3", "--keep-weekly", "2"});
    CHECK(Repository::open(repo).scan().size() == 13);
    const Json done = run_json(repo, {"prune", "--keep-daily", "3", "--keep-weekly", "2"});
    CHECK(planned["ok"] == true);
    CHECK(planned["dry_run"] == true);
    CHECK(done["dry_run"] == false);
    CHECK(planned["kept"] == done["kept"]);
    CHECK(planned["removed"] == done["removed"]);
    CHECK(planned["freed_bytes"] == done["freed_bytes"]);
    // Daily: 12, 11, 10. Weekly: 12 (ISO week 46) and Sunday 8 (week 45). Plus the manual one.
    const std::set<std::string> kept = ids_of(done["kept"]);
    CHECK(kept.size() == 5);
    for (const std::size_t i : {0, 1, 2, 4}) CHECK(kept.contains(ids[i]));
    CHECK(done["removed"].size() == 8);
    CHECK(Repository::open(repo).scan().size() == 5);
}

TEST_CASE("cli prune: a kill mid-prune leaves complete backups and leftovers, and the next prune finishes") {
    // Each fault point, with the leftovers a kill there leaves of the 5 backups this prune removes (7 daily kept of 12).
    const auto [point, expected_leftovers] = GENERATE(table<std::string, std::size_t>({{"prune.after_intent_written", 0},
                                                                                        {"prune.manifest_removed", 1},
                                                                                        {"prune.after_manifests_removed", 5},
                                                                                        {"prune.data_removed", 4}}));
    INFO(point);
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    make_repo(repo);
    const std::set<std::string> planned_kept = ids_of(run_json(repo, {"prune", "--dry-run"})["kept"]);

    test::ProcessOptions faulty;
    faulty.env = {{"SONIABK_FAULT", point}};
    const auto killed = test::run_soniabk({"--repo", repo.string(), "prune"}, faulty);
    REQUIRE(killed.signal == SIGKILL);
    // Every backup is either whole (and verifies) or an incomplete leftover: never complete-looking but broken.
    std::size_t leftovers = 0;
    for (const auto& e : Repository::open(repo).scan()) {
        INFO(e.data_path.string());
        if (e.is_complete()) {
            CHECK(verify_backup(e, VerifyDepth::stored).ok);
        } else {
            CHECK(e.status == BackupEntry::Status::incomplete);
            ++leftovers;
        }
    }
    CHECK(leftovers == expected_leftovers);

    // The next plain prune (no --clean-incomplete) finishes the job: the same backups remain as planned.
    const Json finished = run_json(repo, {"prune"});
    std::set<std::string> remaining;
    for (const auto& e : Repository::open(repo).scan()) {
        CHECK(e.is_complete());
        remaining.insert(e.id());
    }
    CHECK(remaining == planned_kept);
    CHECK_FALSE(fs::exists(repo / "prune-pending.json"));
}

TEST_CASE("cli prune: --label puts another label under the policy, and bad policies are usage errors") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    make_repo(repo);
    test::add_fake_backup(repo, test::at("2026-09-01T02:00:00Z"), {.label = "manual"});
    const Json plan = run_json(repo, {"prune", "--dry-run", "--label", "manual", "--keep-last", "1"});
    REQUIRE(plan["removed"].size() == 1);
    CHECK(plan["removed"][0]["timestamp"] == "2026-09-01T02:00:00.000Z");
    CHECK(plan["removed"][0]["reasons"] == Json::array({"not kept by the policy"}));  // an array, as kept[] has
    CHECK_FALSE(plan["removed"][0].contains("reason"));
    CHECK(plan["labels"] == Json{"manual"});
    CHECK(run_json(repo, {"prune", "--keep-daily", "0"}, 2)["error"]["message"].get<std::string>().find("keeps nothing") !=
          std::string::npos);
    CHECK(run_json(repo, {"prune", "--keep-daily", "-1"}, 2)["ok"] == false);
    CHECK(run_json(repo, {"prune", "--keep-within", "soon"}, 2)["ok"] == false);
    CHECK(Repository::open(repo).scan().size() == 14);
}

TEST_CASE("cli forget: deletes named backups, refuses the newest verified one unless forced") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = make_repo(repo);
    const Json removed = run_json(repo, {"forget", ids[5], ids[6]});
    CHECK(ids_of(removed["removed"]) == std::set<std::string>{ids[5], ids[6]});
    CHECK(removed["removed"][0]["reasons"] == Json::array({"named by forget"}));
    const Json refused = run_json(repo, {"forget", ids[0]}, 1);
    CHECK(refused["error"]["code"] == "last_good_backup");
    CHECK(Repository::open(repo).scan().size() == 11);
    run_json(repo, {"forget", "--force", ids[0]});
    CHECK(Repository::open(repo).scan().size() == 10);
    CHECK(run_json(repo, {"forget", "bkp_1999"}, 3)["error"]["code"] == "not_found");
}
