// The repository lock through the binary: status reports who holds it and whether that holder is gone, and
// unlock removes a stale lock, refuses a live one unless --force. Buckets on a real Ceph RADOS Gateway; the
// live holders are this test process and a slowed copy into the bucket, which is then killed.
#include "cli_fixture.hpp"
#include "platform/processes.hpp"
#include "process.hpp"
#include "repo/lock_state.hpp"
#include "repo/repository.hpp"
#include "s3_server.hpp"
#include "storage/s3_objects.hpp"
#include "storage/s3_storage.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fmt/format.h>

#include <thread>

using namespace soniabk;
using soniabk::test::CliFixture;

namespace {

// A pid no process has: above Linux's pid_max limit and Windows' usual range.
constexpr int dead_pid = 2'000'000'000;

struct BucketRepo {
    explicit BucketRepo(const S3Settings& s)
        : settings(s), env{test::s3_environment(s), {}, {}}, store(s, parse_s3_url(test::fresh_s3_url(s))) {
        f.repo = store.location().string();
        REQUIRE(f.run_json({"init"}, 0, env)["ok"] == true);
        REQUIRE(f.run_json({"backup", "db"}, 0, env)["ok"] == true);  // so status is healthy but for the lock
    }

    S3Settings settings;
    CliFixture f{{.memories = 50}};
    test::ProcessOptions env;
    storage::S3Storage store;
};

}  // namespace

TEST_CASE("cli unlock: a lock object whose holder is gone shows in status as stale, and unlock removes it") {
    SONIABK_REQUIRE_S3(settings);
    const TimePoint now = system_clock().now();
    const std::string host = platform::host_name();
    struct Case {
        const char* why;
        std::string holder;
        TimePoint expires;
    };
    for (const Case& c : {Case{"killed on this host", fmt::format("soniabk pid {} on {} by ops (backup db)", dead_pid, host),
                               now + std::chrono::minutes(5)},
                          Case{"expired elsewhere", fmt::format("soniabk pid 42 on not-{} by ops (prune)", host),
                               now - std::chrono::minutes(5)}}) {
        INFO(c.why);
        BucketRepo b(*settings);
        b.store.write_all(std::string(lock_key), storage::s3_lock_body(c.holder, c.expires), storage::Overwrite::never);
        const Json status = b.f.run_json({"status"}, 0, b.env);  // a stale lock is a warning, not a problem
        REQUIRE(status["lock"].is_object());
        CHECK(status["lock"]["holder"] == c.holder);
        CHECK(status["lock"]["stale"] == true);
        CHECK(status["lock"]["expires"] == format_iso8601(c.expires));
        CHECK(status["lock"]["host"] == parse_lock_holder(c.holder).host);
        CHECK(status["lock"]["user"] == "ops");
        REQUIRE(status["warnings"].size() == 1);
        CHECK(status["warnings"][0].get<std::string>().find("soniabk unlock") != std::string::npos);
        const auto text = b.f.run({"status"}, b.env);
        CHECK(text.out.find("warning: stale lock") != std::string::npos);
        const Json unlock = b.f.run_json({"unlock"}, 0, b.env);
        CHECK(unlock["removed"] == true);
        CHECK(unlock["lock"]["stale"] == true);
        CHECK_FALSE(b.store.stat(std::string(lock_key)));
        CHECK(b.f.run_json({"status"}, 0, b.env)["lock"].is_null());
        const Json again = b.f.run_json({"unlock"}, 0, b.env);
        CHECK(again["removed"] == false);
        CHECK(again["lock"].is_null());
    }
}

TEST_CASE("cli unlock: a live lock is refused without --force and removed with it") {
    SONIABK_REQUIRE_S3(settings);
    BucketRepo b(*settings);
    // This test process holds the lock as a writer does, refreshing it from a thread.
    const auto held = b.store.try_lock(lock_key, lock_holder_line("backup db") + "\n");
    REQUIRE(held);
    const Json status = b.f.run_json({"status"}, 0, b.env);
    CHECK(status["lock"]["pid"] == platform::current_process_id());
    CHECK(status["lock"]["activity"] == "backup db");
    CHECK(status["lock"]["stale"] == false);
    CHECK(status["warnings"].empty());
    const Json refused = b.f.run_json({"unlock"}, 3, b.env);
    CHECK(refused["error"]["code"] == "locked");
    CHECK(refused["error"]["message"].get<std::string>().find(lock_holder_line("backup db")) != std::string::npos);
    CHECK(b.store.stat(std::string(lock_key)));
    const Json forced = b.f.run_json({"unlock", "--force"}, 0, b.env);
    CHECK(forced["removed"] == true);
    CHECK(forced["lock"]["stale"] == false);
    // The journal keeps both: the refusal and the override, each naming whose lock it was.
    std::vector<Json> unlocks;
    for (const auto& record : b.store.list("journal/")) {
        const Json line = Json::parse(b.store.read_all(record.key));
        if (line.value("command", "") == "unlock") unlocks.push_back(line);
    }
    REQUIRE(unlocks.size() == 2);
    // Records of the same second are named in process-id order: the order of the runs is their times'.
    std::sort(unlocks.begin(), unlocks.end(),
              [](const Json& x, const Json& y) { return x["at"].get<std::string>() < y["at"].get<std::string>(); });
    CHECK(unlocks[0]["ok"] == false);
    CHECK(unlocks[0]["detail"]["error"]["code"] == "locked");
    CHECK(unlocks[1]["ok"] == true);
    CHECK(unlocks[1]["detail"]["holder"] == lock_holder_line("backup db"));
    CHECK(unlocks[1]["detail"]["removed"] == true);
}

TEST_CASE("cli unlock: a copy killed while it holds a bucket's lock leaves it, stale once its pid is gone") {
    SONIABK_REQUIRE_S3(settings);
    CliFixture local({.memories = 20000});
    REQUIRE(local.run({"init", "--format", "files"}).exit_code == 0);
    REQUIRE(local.run({"backup", "db"}).exit_code == 0);
    const std::string bucket = test::fresh_s3_url(*settings);
    const test::ProcessOptions env{test::s3_environment(*settings), {}, {}};
    REQUIRE(test::run_soniabk({"init", "--repo", bucket, "--format", "files"}, env).exit_code == 0);
    const auto at_bucket = [&](std::vector<std::string> args, int expected_exit) {
        args.insert(args.end(), {"--repo", bucket, "--json"});
        const test::ProcessResult r = test::run_soniabk(args, env);
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_code == expected_exit);
        return Json::parse(r.out);
    };
    // At 64 KiB/s the backup's upload outlasts every check below.
    test::Child copy({test::soniabk_binary().string(), "copy", "--all", "--to", bucket, "--bwlimit", "64K", "--repo",
                      local.repo.string()},
                     env);
    const storage::S3Storage store(*settings, parse_s3_url(bucket));
    for (int i = 0; i < 200 && !store.stat(std::string(lock_key)); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(copy.running());
    const Json live = at_bucket({"status"}, 1);  // nothing in the bucket yet: unhealthy, whatever the lock
    CHECK(live["lock"]["pid"] == copy.pid());
    CHECK(live["lock"]["activity"] == "copy");
    CHECK(live["lock"]["stale"] == false);
    CHECK(at_bucket({"unlock"}, 3)["error"]["code"] == "locked");
    copy.kill(SIGKILL);
    REQUIRE(copy.wait().signal == SIGKILL);
    const Json stale = at_bucket({"status"}, 1);
    CHECK(stale["lock"]["stale"] == true);  // not expired yet: its pid no longer runs on this host
    CHECK(stale["lock"]["stale_reason"] == fmt::format("pid {} no longer runs on {}", copy.pid(), platform::host_name()));
    CHECK(at_bucket({"unlock"}, 0)["removed"] == true);
    CHECK(at_bucket({"status"}, 1)["lock"].is_null());
}

TEST_CASE("cli unlock: a directory's lock is its holder's file lock, gone with it, and the file left is no lock") {
    CliFixture f({.memories = 50});
    create_repository(f);
    {
        const RepositoryLock held = Repository::open(f.repo).lock_for_writing("prune", std::chrono::seconds(1));
        const Json status = f.run_json({"status"}, 1);  // no backup yet: unhealthy, whatever the lock
        CHECK(status["lock"]["pid"] == platform::current_process_id());
        CHECK(status["lock"]["stale"] == false);
        CHECK(status["lock"]["expires"].is_null());
        CHECK(f.run_json({"unlock"}, 3)["error"]["code"] == "locked");
        CHECK(f.run_json({"unlock", "--force"}, 3)["error"]["code"] == "locked");  // never a second writer
        CHECK(std::filesystem::exists(f.repo / ".lock"));
    }
    CHECK(std::filesystem::exists(f.repo / ".lock"));
    CHECK(f.run_json({"status"}, 1)["lock"].is_null());
    const Json unlock = f.run_json({"unlock"});
    CHECK(unlock["removed"] == false);
    CHECK(unlock["lock"].is_null());
    const auto text = f.run({"unlock"});
    CHECK(text.out.find("not locked, nothing to remove") != std::string::npos);
}
