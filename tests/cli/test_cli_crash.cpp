#include "cli_fixture.hpp"
#include "repo_init.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <random>
#include <thread>

using namespace soniabk;
using namespace soniabk::test;
using namespace std::chrono_literals;

namespace {

// Every backup that looks complete must verify; anything else must be shown as incomplete.
void check_nothing_half_done(const CliFixture& f) {
    if (!fs::exists(f.repo)) return;  // killed before the repository was even created
    const Json list = f.run_json({"list"});
    for (const auto& b : list["backups"]) {
        if (b["complete"] == true) {
            INFO("complete-looking backup " << b["backup_id"]);
            CHECK(f.run({"verify", b["backup_id"].get<std::string>()}).exit_code == 0);
        } else {
            CHECK(b["status"] == "incomplete");
        }
    }
}

}  // namespace

TEST_CASE("cli crash: backup killed at each step leaves no complete-looking backup, the next run succeeds") {
    CliFixture f;
    init_repo(f.repo);
    const std::string point = GENERATE("snapshot.copy_chunk", "backup.after_snapshot", "publish.before_rename",
                                       "backup.after_data_published");
    INFO("killed at " << point);
    std::vector<std::string> args{"backup", "db", "--format", "files"};
    if (point == "snapshot.copy_chunk") args.insert(args.end(), {"--method", "copy"});
    const ProcessResult killed = f.run(args, {.env = {{"SONIABK_FAULT", point}}});
    REQUIRE(killed.signal == SIGKILL);

    CHECK(f.run_json({"verify", "--latest"}, 1)["ok"] == false);  // nothing complete exists yet
    check_nothing_half_done(f);

    const Json next = f.run_json({"backup", "db", "--format", "files"});
    CHECK(next["ok"] == true);
    CHECK(f.run_json({"verify", "--latest", "--deep"})["ok"] == true);
    check_nothing_half_done(f);
}

TEST_CASE("cli crash: real SIGKILLs at random instants of a larger backup") {
    CliFixture f({.memories = 30000});
    init_repo(f.repo);
    std::mt19937 rng(42);
    for (int round = 0; round < 6; ++round) {
        Child backup({soniabk_binary().string(), "backup", "db", "--format", "files", "--repo", f.repo.string(), "--db", f.db.string(),
                      "--method", round % 2 ? "copy" : "backup"});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 120)(rng)));
        backup.kill(SIGKILL);
        backup.wait();
        check_nothing_half_done(f);
    }
    CHECK(f.run_json({"backup", "db", "--format", "files"})["ok"] == true);
    CHECK(f.run_json({"verify", "--latest", "--deep"})["ok"] == true);
}
