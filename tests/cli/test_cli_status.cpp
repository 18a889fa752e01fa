#include "base/clock.hpp"
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "storage/local_storage.hpp"
#include "fake_repo.hpp"
#include "repo/journal.hpp"
#include "base/json.hpp"
#include "process.hpp"
#include "prometheus_text.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

test::ProcessResult run_status(const fs::path& repo, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"--json", "--repo", repo.string(), "status"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::run_soniabk(argv);
}

}  // namespace

TEST_CASE("cli status: exit status 0 when healthy, 1 for each problem, with the textfile written either way") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const fs::path prom = dir / "soniabk.prom";
    const TimePoint now = system_clock().now();
    test::add_fake_backup(repo, now - 2h);

    SECTION("healthy") {
        const auto r = run_status(repo, {"--prometheus", prom.string()});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        const Json j = Json::parse(r.out);
        CHECK(j["ok"] == true);
        CHECK(j["last_drill"]["result"] == "never");
        const auto metrics = test::parse_prometheus_text(test::read_text(prom));
        CHECK(metrics.value("soniabk_rpo_violated", {{"kind", "db"}}) == 0);
        CHECK(metrics.value("soniabk_status_ok") == 1);
    }
    SECTION("RPO violated") {
        const auto r = run_status(repo, {"--rpo", "1h", "--prometheus", prom.string()});
        CHECK(r.exit_code == 1);
        CHECK(Json::parse(r.out)["kinds"][0]["rpo_violated"] == true);
        CHECK(test::parse_prometheus_text(test::read_text(prom)).value("soniabk_rpo_violated", {{"kind", "db"}}) == 1);
    }
    SECTION("last drill failed") {
        storage::LocalStorage journal(repo);
        append_journal(journal, {"drill", now - 1h, false, 60, {{"passed", false}, {"rto_actual_seconds", 60}}});
        const auto r = run_status(repo, {"--prometheus", prom.string()});
        CHECK(r.exit_code == 1);
        CHECK(Json::parse(r.out)["last_drill"]["result"] == "failed");
        CHECK(test::parse_prometheus_text(test::read_text(prom)).value("soniabk_last_drill_success") == 0);
    }
    SECTION("space short for the next backup") {
        test::add_fake_backup(repo, now - 1h, {.claimed_size = std::uint64_t{1} << 60});
        const auto r = run_status(repo, {"--prometheus", prom.string()});
        CHECK(r.exit_code == 1);
        CHECK(Json::parse(r.out)["space"]["short"] == true);
        CHECK(test::parse_prometheus_text(test::read_text(prom)).value("soniabk_space_short") == 1);
    }
}

TEST_CASE("cli status: human output names the problem, and a missing repository is a runtime error") {
    test::TempDir dir;
    test::add_fake_backup(dir / "repo", system_clock().now() - 30h);
    const auto r = test::run_soniabk({"--repo", (dir / "repo").string(), "status"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("problem: db: newest backup") && Catch::Contains("UNHEALTHY"));
    const auto missing = run_status(dir / "nope");
    CHECK(missing.exit_code == 3);
    CHECK(Json::parse(missing.out)["error"]["code"] == "repo_missing");
}

TEST_CASE("cli status: a failed verify makes status unhealthy (exit 1) until a later verify passes") {
    test::CliFixture f;
    test::init_repo(f.repo);
    const fs::path data = f.run_json({"backup", "db"})["path"].get<std::string>();
    REQUIRE(run_status(f.repo).exit_code == 0);
    const std::string good = test::read_text(data);
    std::string bad = good;
    bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x5a);
    fs::permissions(data, fs::perms::owner_read | fs::perms::owner_write);
    test::write_text(data, bad);
    CHECK(f.run({"verify"}).exit_code == 1);
    const auto unhealthy = run_status(f.repo);
    CHECK(unhealthy.exit_code == 1);
    CHECK_THAT(unhealthy.out, Catch::Contains("last verify failed at"));
    const auto human = f.run({"status"});
    CHECK(human.exit_code == 1);
    CHECK_THAT(human.out, Catch::Contains("1 backup, "));  // one vocabulary for counts: never "1 backups"
    test::write_text(data, good);
    CHECK(f.run({"verify"}).exit_code == 0);
    CHECK(run_status(f.repo).exit_code == 0);
}
