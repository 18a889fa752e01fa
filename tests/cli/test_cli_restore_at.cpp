// restore --at: RFC 3339 with offsets, and local time as the child's TZ says.
#include "fake_repo.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include "base/json.hpp"

using namespace soniabk;
namespace fs = std::filesystem;

namespace {

// Central European time with its DST rules, written out so no zone database is needed.
constexpr const char* paris = "CET-1CEST,M3.5.0,M10.5.0/3";

struct RestoreAtSetup {
    test::TempDir dir;
    fs::path repo = dir / "repo";
    fs::path live = dir / "memory.db";
    std::string midnight;   // taken 2026-11-26T00:00:00Z
    std::string one_o_clock;  // taken 2026-11-26T01:00:00Z

    RestoreAtSetup() {
        test::init_repo(repo);
        midnight = test::add_fake_backup(repo, test::at("2026-11-26T00:00:00Z"));
        one_o_clock = test::add_fake_backup(repo, test::at("2026-11-26T01:00:00Z"));
        test::create_sample_db(live, {.memories = 5});
    }

    test::ProcessResult restore_at(const std::string& at, const std::string& tz) const {
        return test::run_soniabk({"--json", "restore", "--dry-run", "--repo", repo.string(), "--db", live.string(), "--at", at},
                                 {{{"TZ", tz}}, {}, {}});
    }
    std::string chosen(const std::string& at, const std::string& tz) const {
        const auto r = restore_at(at, tz);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return Json::parse(r.out)["backup_id"].get<std::string>();
    }
};

}  // namespace

TEST_CASE("cli restore at: an RFC 3339 offset is honoured whatever the local zone") {
    RestoreAtSetup s;
    CHECK(s.chosen("2026-11-26T01:30:00+01:00", "UTC0") == s.midnight);   // 00:30Z
    CHECK(s.chosen("2026-11-26T01:30:00Z", paris) == s.one_o_clock);
    CHECK(s.chosen("2026-11-26T00:30:00.000-00:30", paris) == s.one_o_clock);  // 01:00Z exactly
}

TEST_CASE("cli restore at: a time without an offset is the machine's local time") {
    RestoreAtSetup s;
    CHECK(s.chosen("2026-11-26 01:30", "UTC0") == s.one_o_clock);
    CHECK(s.chosen("2026-11-26 01:30", paris) == s.midnight);  // 01:30 in Paris is 00:30Z
    CHECK(s.chosen("2026-11-26 02:00:00", paris) == s.one_o_clock);
}

TEST_CASE("cli restore at: local times a DST change skips or repeats are refused, asking for an offset") {
    SONIABK_SKIP_ON_WINDOWS("the C runtime takes only a TZ's names and offset, and US DST dates, never its ,M rules");
    RestoreAtSetup s;
    const auto gap = s.restore_at("2026-03-29 02:30", paris);
    CHECK(gap.exit_code == 2);
    CHECK_THAT(gap.err, Catch::Contains("does not exist") && Catch::Contains("offset"));
    const auto twice = s.restore_at("2026-10-25 02:30", paris);
    CHECK(twice.exit_code == 2);
    CHECK_THAT(twice.err, Catch::Contains("happens twice") && Catch::Contains("offset"));
    CHECK(s.restore_at("2026-10-25T02:30:00+02:00", paris).exit_code == 3);  // taken before any backup: no_backup
}

TEST_CASE("cli restore at: what is not a time names the forms it takes") {
    RestoreAtSetup s;
    const auto r = s.restore_at("yesterday", "UTC0");
    CHECK(r.exit_code == 2);
    CHECK(Json::parse(r.out)["error"]["code"] == "usage");
    CHECK_THAT(r.err, Catch::Contains("RFC 3339") && Catch::Contains("2026-11-26 01:30"));
}
