// The binary against the real gateway through the fault proxy: SlowDown, resets, truncated bodies and latency are
// retried and the backups still verify; what no retry fixes is exit 3 and one line naming the s3:// repository.
#include "cli_fixture.hpp"
#include "fault_proxy.hpp"
#include "local_http_server.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "s3_server.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "writer_process.hpp"

#include "base/clock.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace soniabk;
namespace fs = std::filesystem;
using soniabk::test::CliFixture;
using soniabk::test::FaultKind;
using soniabk::test::FaultProxy;
using soniabk::test::FaultRule;

namespace {

// A fresh s3:// repository, made directly; `proxied` runs reach it through the fault proxy, `direct` ones do not.
struct ProxiedS3Fixture {
    explicit ProxiedS3Fixture(const S3Settings& settings)
        : proxy(settings.endpoint), direct(test::in_dir(f.dir, test::s3_environment(settings))), proxied(direct) {
        f.repo = test::fresh_s3_url(settings);
        proxied.env["AWS_ENDPOINT_URL"] = proxy.endpoint();
        REQUIRE(f.run({"init", "--format", "files"}, direct).exit_code == 0);
    }

    CliFixture f{{.memories = 300}};
    FaultProxy proxy;
    test::ProcessOptions direct;
    test::ProcessOptions proxied;
};

// The raw target of a backup's data file (its manifest's name goes on after ".db").
const std::string backup_data_target = "/db/memory-[0-9-]+\\.db$";

bool is_one_line(const std::string& text) { return std::count(text.begin(), text.end(), '\n') == 1 && text.ends_with('\n'); }

// A web server, not S3: every request is answered `status` with an HTML page.
httplib::Server::Handler web_page(int status) {
    return [status](const httplib::Request&, httplib::Response& response) {
        response.status = status;
        response.set_content("<html><body>Welcome</body></html>", "text/html");
    };
}

}  // namespace

TEST_CASE("cli s3 faults: backup db, verify --deep and restore succeed through SlowDown, resets, truncated bodies and latency") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedS3Fixture s3(*settings);
    const std::size_t slow_puts = s3.proxy.add({.kind = FaultKind::slow_down, .method = "PUT", .times = 3});
    const std::size_t latency = s3.proxy.add({.kind = FaultKind::latency, .times = 5, .delay = std::chrono::milliseconds(100)});
    CHECK(s3.f.run_json({"backup", "db"}, 0, s3.proxied)["ok"] == true);
    CHECK(s3.proxy.fired(slow_puts) == 3);
    CHECK(s3.proxy.fired(latency) == 5);

    const std::size_t slow_gets = s3.proxy.add({.kind = FaultKind::slow_down, .method = "GET", .target = "manifest\\.json$"});
    const std::size_t reset = s3.proxy.add({.kind = FaultKind::reset, .method = "GET", .target = backup_data_target});
    const std::size_t truncate = s3.proxy.add({.kind = FaultKind::truncate, .method = "GET", .target = backup_data_target});
    CHECK(s3.f.run_json({"verify", "--deep"}, 0, s3.proxied)["ok"] == true);
    CHECK(s3.proxy.fired(slow_gets) == 1);
    CHECK(s3.proxy.fired(reset) == 1);
    CHECK(s3.proxy.fired(truncate) == 1);

    const std::size_t restore_cuts = s3.proxy.add({.kind = FaultKind::truncate, .method = "GET", .target = backup_data_target, .times = 2});
    Database::open(s3.f.db, Database::Mode::read_write).exec("DELETE FROM memories");
    CHECK(s3.f.run_json({"restore", "--latest"}, 0, s3.proxied)["ok"] == true);
    CHECK(s3.proxy.fired(restore_cuts) == 2);
    CHECK(test::count_rows(s3.f.db, "memories") == 300);
    CHECK(s3.f.run_json({"verify", "--deep"}, 0, s3.direct)["ok"] == true);
}

TEST_CASE("cli s3 faults: copy --to s3:// succeeds through SlowDown on every other PUT and truncated downloads") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedS3Fixture s3(*settings);
    CliFixture local({.memories = 300});
    REQUIRE(local.run({"init", "--format", "files"}).exit_code == 0);
    REQUIRE(local.run({"backup", "db"}).exit_code == 0);
    REQUIRE(local.run({"backup", "db"}).exit_code == 0);
    const std::size_t slow_puts = s3.proxy.add({.kind = FaultKind::slow_down, .method = "PUT", .every = 2});
    CHECK(local.run_json({"copy", "--to", s3.f.repo.string(), "--all"}, 0, s3.proxied)["copied"].size() == 2);
    CHECK(s3.proxy.fired(slow_puts) >= 2);
    const std::size_t cuts = s3.proxy.add({.kind = FaultKind::truncate, .method = "GET", .target = backup_data_target, .every = 2});
    CHECK(s3.f.run_json({"verify", "--all", "--deep"}, 0, s3.proxied)["ok"] == true);
    CHECK(s3.proxy.fired(cuts) >= 1);
    CHECK(s3.f.run_json({"verify", "--all", "--deep"}, 0, s3.direct)["ok"] == true);
}

TEST_CASE("cli s3 faults: clock skew on the manifest is exit 3, one line saying to fix the clock, and no complete backup") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedS3Fixture s3(*settings);
    const std::size_t skew = s3.proxy.add({.kind = FaultKind::skew, .method = "PUT", .target = "manifest.json", .times = FaultRule::always});
    const auto backup = s3.f.run({"backup", "db", "--json"}, s3.proxied);
    INFO(backup.out << backup.err);
    CHECK(backup.exit_code == 3);
    CHECK(Json::parse(backup.out)["error"]["code"] == "clock_skew");
    CHECK(is_one_line(backup.err));
    CHECK(test::has(backup.err, s3.f.repo.string() + "/db/memory-"));
    CHECK(test::has(backup.err, "fix the clock"));
    CHECK(s3.proxy.fired(skew) == 1);
    const Json listing = s3.f.run_json({"list"}, 0, s3.direct);
    for (const Json& listed : listing["backups"]) CHECK(listed["status"] != "complete");
    CHECK(s3.f.run({"verify"}, s3.direct).exit_code != 0);
}

TEST_CASE("cli s3 faults: an endpoint that is not S3 and a missing bucket are one line each, exit 3") {
    SONIABK_REQUIRE_S3(settings);
    const test::TempDir dir;
    const test::ProcessOptions env = test::in_dir(dir, test::s3_environment(*settings));
    const std::string repo = test::fresh_s3_url(*settings);
    for (const int status : {404, 200}) {
        const test::LocalHttpServer web(web_page(status));
        test::ProcessOptions not_s3 = env;
        not_s3.env["AWS_ENDPOINT_URL"] = web.endpoint();
        for (const char* command : {"list", "verify"}) {
            const auto run = test::run_soniabk({command, "--json", "--repo", repo}, not_s3);
            INFO(status << " " << command << ": " << run.out << run.err);
            CHECK(run.exit_code == 3);
            CHECK(Json::parse(run.out)["error"]["code"] == "http_status");
            CHECK(is_one_line(run.err));
            CHECK(test::has(run.err, repo + "/db/: GET answered HTTP " + std::to_string(status) + " without an S3 error"));
            CHECK(test::has(run.err, "is " + web.endpoint() + " an S3 endpoint?"));
        }
    }
    const auto missing = test::run_soniabk({"list", "--json", "--repo", "s3://no-such-bucket-for-soniabk/x"}, env);
    INFO(missing.out << missing.err);
    CHECK(missing.exit_code == 3);
    CHECK(Json::parse(missing.out)["error"]["code"] == "repo_missing");
    CHECK(is_one_line(missing.err));
    CHECK(test::has(missing.err, "s3://no-such-bucket-for-soniabk: no such bucket"));
}

TEST_CASE("cli s3 faults: an endpoint nobody answers fails at the repository's first request, one line, exit 3") {
    const test::TempDir dir;
    test::write_text(dir / "soniabk.toml", "[s3]\nendpoint = \"http://127.0.0.1:1\"\naccess_key_id = \"AKIDTEST\"\n"
                                           "secret_access_key = \"secret\"\nretry_budget = \"1s\"\n");
    const test::ProcessOptions env = test::in_dir(dir, {{"AWS_ENDPOINT_URL", ""}, {"AWS_ENDPOINT_URL_S3", ""},
                                                         {"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}});
    const auto run = test::run_soniabk({"list", "--json", "--repo", "s3://sonia-backups/nightly"}, env);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    CHECK(Json::parse(run.out)["error"]["code"] == "unreachable");
    CHECK(is_one_line(run.err));
    CHECK(test::has(run.err, "s3://sonia-backups/nightly/config.json: "));
    // The trace shows the one request tried: the listing after it would only wait out the same budget again.
    const auto traced = test::run_soniabk({"list", "-vv", "--repo", "s3://sonia-backups/nightly"}, env);
    INFO(traced.err);
    CHECK(traced.exit_code == 3);
    CHECK(test::has(traced.err, "/nightly/config.json"));
    CHECK_FALSE(test::has(traced.err, "list-type"));
}

TEST_CASE("cli s3 faults: replicate to s3:// keeps refused shipments, ships them at a later interval and the lag recovers") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedS3Fixture s3(*settings);
    // A short retry budget, so that a refused shipment fails (and waits for the next interval) within a second.
    test::write_text(s3.f.dir / "soniabk.toml", "[s3]\nretry_budget = \"1s\"\n");
    const fs::path live = s3.f.dir / "live.db";
    test::Child writer = test::start_writer(live, s3.f.dir / "progress", 50, "1000");
    test::Child replicate({test::soniabk_binary().string(), "--json", "replicate", "--repo", s3.f.repo.string(), "--db",
                           live.string(), "--for", "9s"},
                          s3.proxied);
    // Once the lineage exists, its segments' PUTs are refused past the client's own retries for a while.
    for (int i = 0; i < 300 && s3.proxy.seen("PUT", "lineage\\.json") == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(s3.proxy.seen("PUT", "lineage\\.json") == 1);
    const std::size_t refused = s3.proxy.add({.kind = FaultKind::slow_down, .method = "PUT", .target = "/replica/[^?]*\\.seg", .times = 12});
    const test::ProcessResult ran = replicate.wait();
    const TimePoint ended = system_clock().now();
    writer.kill(SIGKILL);
    writer.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json result = Json::parse(ran.out);
    CHECK(s3.proxy.fired(refused) == 12);
    CHECK(result["ship_failures"].get<int>() >= 1);
    CHECK(result["last_ship_error"].is_null());  // a later shipment succeeded
    CHECK(result["lineages"].size() == 1);
    // The lag recovered: the last shipped commit is from the run's last seconds.
    REQUIRE(result["last_commit_at"].is_string());
    const TimePoint last = *parse_iso8601(result["last_commit_at"].get<std::string>());
    CHECK(ended - last < std::chrono::seconds(3));
    // Everything shipped restores as whole transactions, past the refused stretch.
    const test::ProcessResult restored = test::run_soniabk(
        {"--json", "restore", "--repo", s3.f.repo.string(), "--db", live.string(), "--at", result["last_commit_at"].get<std::string>(), "--force"},
        s3.direct);
    INFO(restored.out << restored.err);
    REQUIRE(restored.exit_code == 0);
    Database db = Database::open(live, Database::Mode::read_only);
    CHECK(test::check_whole_transactions(db) > 100);
}
