#include "fake_repo.hpp"
#include "storage/local_storage.hpp"
#include "repo/journal.hpp"
#include "commands/metrics.hpp"
#include "prometheus_text.hpp"
#include "commands/status.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace std::chrono_literals;
using test::at;

namespace {

StatusResult status_at(const fs::path& repo, const std::string& now, std::optional<fs::path> prometheus = {}) {
    const FixedClock clock(at(now));
    StatusOptions options;
    options.repo = repo;
    options.clock = &clock;
    options.prometheus = std::move(prometheus);
    return repository_status(options);
}

void journal_drill(const fs::path& repo, const std::string& when, bool passed, double rto) {
    JournalRecord record{"drill", at(when), passed, rto, {{"passed", passed}, {"rto_actual_seconds", rto}}};
    storage::LocalStorage journal(repo);
    append_journal(journal, record);
}

}  // namespace

TEST_CASE("status: a recent backup and no drill yet is healthy") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    test::add_fake_backup(repo, at("2026-11-25T02:00:00Z"), {.content = "older"});
    const std::string newest = test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"), {.content = "newest!"});
    test::add_incomplete_backup(repo, at("2026-11-26T03:00:00Z"));
    storage::LocalStorage journal(repo);
    append_journal(journal, {"verify", at("2026-11-26T02:30:00Z"), true, 0.1, {{"verified", 1}}});

    const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
    CHECK(s.ok);
    REQUIRE(s.kinds.size() == 1);
    const KindStatus& db = s.kinds[0];
    CHECK(db.newest_id == newest);
    CHECK(db.age == 10h);
    CHECK_FALSE(db.rpo_violated);
    CHECK(db.backups == 2);
    CHECK(db.incomplete == 1);
    CHECK(db.total_bytes == 12);
    REQUIRE(s.last_verify);
    CHECK(s.last_verify->ok);
    CHECK_FALSE(s.last_drill);
    CHECK(s.space.next_backup_bytes == 7);
    CHECK(s.space.required_bytes == 11);  // 7 * 1.5, rounded up
    const Json j = s.to_json();
    CHECK(j["last_drill"]["result"] == "never");
    CHECK(j["last_verify"]["result"] == "passed");
    CHECK(j["kinds"][0]["newest"]["age_seconds"] == 36000.0);
}

TEST_CASE("status: a failed last verify or drill is unhealthy until a later one passes") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"));
    storage::LocalStorage journal(repo);
    append_journal(journal, {"verify", at("2026-11-26T02:30:00Z"), false, 0.1, {{"verified", 1}}});
    StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
    CHECK_FALSE(s.ok);
    CHECK(s.problems == std::vector<std::string>{"last verify failed at 2026-11-26T02:30:00.000Z"});
    append_journal(journal, {"verify", at("2026-11-26T03:00:00Z"), true, 0.1, {{"verified", 1}}});
    CHECK(status_at(repo, "2026-11-26T12:00:00Z").ok);

    journal_drill(repo, "2026-11-26T04:00:00Z", false, 3);
    s = status_at(repo, "2026-11-26T12:00:00Z");
    CHECK(s.problems == std::vector<std::string>{"last drill failed at 2026-11-26T04:00:00.000Z"});
    journal_drill(repo, "2026-11-26T05:00:00Z", true, 3);
    CHECK(status_at(repo, "2026-11-26T12:00:00Z").ok);
}

TEST_CASE("status: a backup found bad stays a problem until a run as thorough passes it, or it is gone") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const std::string older = test::add_fake_backup(repo, at("2026-11-25T02:00:00Z"), {.content = "older"});
    const std::string newest = test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"), {.content = "newest"});
    storage::LocalStorage journal(repo);
    const auto verify = [&](const std::string& when, const std::vector<std::string>& checked,
                            const std::vector<std::string>& failed, Json extra = Json::object()) {
        Json detail = {{"deep", false}, {"verified", checked.size()}, {"checked", checked}, {"failed", failed}};
        detail.update(extra);
        append_journal(journal, {"verify", at(when), failed.empty(), 0.1, detail});
    };
    const auto problems = [&] { return status_at(repo, "2026-11-26T12:00:00Z").problems; };
    const std::vector<std::string> standing = {"last verify failed at 2026-11-26T03:00:00.000Z"};

    verify("2026-11-26T03:00:00Z", {older, newest}, {older});
    // Passing the newest alone says nothing of the older one.
    verify("2026-11-26T04:00:00Z", {newest}, {});
    CHECK(problems() == standing);
    CHECK(status_at(repo, "2026-11-26T12:00:00Z").last_verify->detail["outstanding"] == Json::array({older}));
    // Nor does another part of --read-data-subset, nor a run shallower than --deep after a deep failure.
    verify("2026-11-26T05:00:00Z", {older, newest}, {newest}, {{"deep", true}});
    verify("2026-11-26T06:00:00Z", {older, newest}, {}, {{"subset", {{"n", 2}, {"m", 3}}}});
    CHECK(problems() == std::vector<std::string>{"last verify failed at 2026-11-26T05:00:00.000Z"});
    verify("2026-11-26T07:00:00Z", {older, newest}, {});
    CHECK(problems() == std::vector<std::string>{"last verify failed at 2026-11-26T05:00:00.000Z"});
    // A deep run of both clears both.
    verify("2026-11-26T08:00:00Z", {older, newest}, {}, {{"deep", true}});
    CHECK(problems().empty());

    // A bad backup that is then forgotten is no longer a problem.
    verify("2026-11-26T09:00:00Z", {older}, {older});
    verify("2026-11-26T10:00:00Z", {newest}, {});
    CHECK_FALSE(problems().empty());
    fs::remove_all(repo / "db");
    test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"), {.content = "newest"});
    CHECK(problems().empty());
}

TEST_CASE("status: the RPO is violated by an old backup, and by none at all") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    fs::create_directories(repo);
    SECTION("no backup") {
        const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
        CHECK_FALSE(s.ok);
        CHECK(s.kinds[0].rpo_violated);
        CHECK(s.problems == std::vector<std::string>{"db: no complete backup (RPO 1d)"});
    }
    SECTION("exactly at the RPO is still within it; a second more is not") {
        test::add_fake_backup(repo, at("2026-11-25T12:00:00Z"));
        CHECK(status_at(repo, "2026-11-26T12:00:00Z").ok);
        const StatusResult late = status_at(repo, "2026-11-26T12:00:01Z");
        CHECK_FALSE(late.ok);
        REQUIRE(late.problems.size() == 1);
        CHECK_THAT(late.problems[0], Catch::Contains("is 1d1s old, RPO 1d"));
    }
    SECTION("each kind is judged on its own") {
        test::add_fake_backup(repo, at("2026-11-26T11:00:00Z"));
        test::add_fake_backup(repo, at("2026-11-20T11:00:00Z"), {.kind = "state"});
        const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
        REQUIRE(s.kinds.size() == 2);
        CHECK_FALSE(s.kinds[0].rpo_violated);
        CHECK(s.kinds[1].kind == "state");
        CHECK(s.kinds[1].rpo_violated);
        CHECK_FALSE(s.ok);
    }
}

TEST_CASE("status: the last drill's result comes from the journal or drills/last.json, the newer one wins") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"));
    SECTION("a failed drill in the journal") {
        journal_drill(repo, "2026-11-25T04:00:00Z", true, 30);
        journal_drill(repo, "2026-11-26T04:00:00Z", false, 95.5);
        const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
        CHECK_FALSE(s.ok);
        REQUIRE(s.last_drill);
        CHECK(s.last_drill->rto_seconds == 95.5);
        CHECK(s.problems == std::vector<std::string>{"last drill failed at 2026-11-26T04:00:00.000Z"});
    }
    SECTION("a newer passing drill in drills/last.json") {
        journal_drill(repo, "2026-11-25T04:00:00Z", false, 30);
        fs::create_directories(repo / "drills");
        test::write_text(repo / "drills" / "last.json",
                         R"({"drill_id":"drl_1","status":"passed","passed":true,"rto_actual_seconds":41.5,)"
                         R"("rto_target_seconds":900,"rpo_actual_seconds":7200,"rpo_target_seconds":86400,)"
                         R"("steps":[{"name":"restore","ok":true}],"finished_at":"2026-11-26T05:00:00Z"})");
        const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z");
        CHECK(s.ok);
        REQUIRE(s.last_drill);
        CHECK(s.last_drill->ok);
        CHECK(s.last_drill->rto_seconds == 41.5);
        CHECK(s.last_drill->rto_target_seconds == 900);
        CHECK_FALSE(s.to_json()["last_drill"]["detail"].contains("steps"));
    }
    SECTION("an unreadable drills/last.json counts as absent") {
        fs::create_directories(repo / "drills");
        test::write_text(repo / "drills" / "last.json", "{\"drill_id\": \"drl_");
        CHECK_FALSE(status_at(repo, "2026-11-26T12:00:00Z").last_drill);
    }
}

TEST_CASE("status: too little free space for the next backup is a problem") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    // A manifest claiming 2^60 bytes: no test machine has 1.5 EiB free.
    test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"), {.claimed_size = std::uint64_t{1} << 60});
    const StatusResult s = status_at(repo, "2026-11-26T03:00:00Z");
    CHECK(s.space.short_of_space);
    CHECK_FALSE(s.ok);
    REQUIRE(s.problems.size() == 1);
    CHECK_THAT(s.problems[0], Catch::Contains("the next backup needs about"));
}

TEST_CASE("status: the Prometheus textfile parses and carries the status's values") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    test::add_fake_backup(repo, at("2026-11-25T02:00:00Z"), {.content = "12345"});
    test::add_fake_backup(repo, at("2026-11-26T02:00:00Z"), {.content = "1234567890"});
    journal_drill(repo, "2026-11-26T04:00:00Z", true, 42.25);
    const fs::path file = dir / "textfile" / "soniabk.prom";
    fs::create_directories(file.parent_path());
    const StatusResult s = status_at(repo, "2026-11-26T12:00:00Z", file);
    CHECK(s.prometheus_file == file);

    const test::Exposition m = test::parse_prometheus_text(test::read_text(file));
    const std::map<std::string, std::string> db = {{"kind", "db"}};
    CHECK(m.value("soniabk_last_backup_timestamp_seconds", db) == 1795658400.0);  // 2026-11-26T02:00:00Z
    CHECK(m.value("soniabk_backup_bytes", db) == 15);
    CHECK(m.value("soniabk_backups", db) == 2);
    CHECK(m.value("soniabk_rpo_violated", db) == 0);
    CHECK(m.value("soniabk_last_drill_success") == 1);
    CHECK(m.value("soniabk_last_drill_rto_seconds") == 42.25);
    CHECK(m.value("soniabk_rpo_seconds") == 86400);
    CHECK(m.value("soniabk_status_ok") == 1);
    CHECK_FALSE(m.value("soniabk_last_verify_success"));  // never ran: no sample, only HELP and TYPE
    for (const auto& [name, family] : m.families) {
        INFO(name);
        CHECK(name.starts_with("soniabk_"));
        CHECK_FALSE(family.help.empty());
        CHECK(family.type == "gauge");
    }
    CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);
    CHECK(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()) == 1);  // no temp left
}

TEST_CASE("status: the test's exposition parser rejects what Prometheus would reject") {
    const auto bad = GENERATE(as<std::string>{}, "1metric 1\n", "m{kind=db} 1\n", "m{kind=\"db\"} one\n",
                              "m 1\nm 2\n", "a 1\nb 1\na 2\n", "m{kind=\"a\\x\"} 1\n", "m 1",
                              "# TYPE m gauge\n# TYPE m gauge\nm 1\n", "m 1\n# HELP m late\n",
                              "# TYPE m meter\nm 1\n", "m{kind=\"db\" 1\n");
    INFO(bad);
    CHECK_THROWS_AS(test::parse_prometheus_text(bad), std::invalid_argument);
    const auto good = test::parse_prometheus_text("# HELP m a\n# TYPE m gauge\nm{kind=\"d\\\"b\"} -Inf\nm 1e3 1700000000\n");
    CHECK(good.value("m") == 1000);
}
