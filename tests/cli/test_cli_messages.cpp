// Option and config messages say what is expected; CLI11's own messages come out in soniabk's words; --help
// shows the defaults that really apply.
#include "cli_fixture.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace soniabk::test;

namespace {

// One line on stderr, "soniabk: " and the message, exit 2.
std::string usage_line(const ProcessResult& r) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("soniabk: "));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    return r.err;
}

}  // namespace

TEST_CASE("cli messages: a count that is not one says an integer >= 0 is expected") {
    TempDir dir;
    init_repo(dir / "repo");
    for (const char* bad : {"seven", "-1", "2.5"}) {
        INFO(bad);
        const std::string err = usage_line(run_soniabk({"prune", "--repo", "repo", "--keep-daily", bad}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains(std::string("--keep-daily: '") + bad + "' is not an integer >= 0"));
        CHECK_THAT(err, !Catch::Contains("not in range") && !Catch::Contains("1797"));
    }
}

TEST_CASE("cli messages: a config value that is not a count names the file, the line and what is expected") {
    TempDir dir;
    init_repo(dir / "repo");
    write_text(dir / "soniabk.toml", "repo = \"repo\"\n[prune]\nkeep-daily = -1\n");
    const std::string err = usage_line(run_soniabk({"prune", "--dry-run"}, in_dir(dir)));
    CHECK_THAT(err, Catch::Contains("soniabk.toml") && Catch::Contains("3") && Catch::Contains("an integer >= 0"));
    CHECK_THAT(err, !Catch::Contains("not in range"));
}

TEST_CASE("cli messages: CLI11's own messages are reworded") {
    TempDir dir;
    SECTION("an unexpected argument") {
        const std::string err = usage_line(run_soniabk({"status", "extra"}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains("unexpected argument 'extra' for 'soniabk status' (see 'soniabk status --help')"));
        CHECK_THAT(err, !Catch::Contains("The following argument"));
    }
    SECTION("a required option") {
        const std::string err = usage_line(run_soniabk({"purge-archived", "--db", "x.db"}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains("'soniabk purge-archived' needs --older-than"));
    }
    SECTION("options that exclude each other") {
        const std::string err = usage_line(run_soniabk({"verify", "--repo", "r", "--latest", "--all"}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains("not both") && Catch::Contains("--latest") && Catch::Contains("--all"));
        CHECK_THAT(err, !Catch::Contains("excludes"));
    }
    SECTION("a value outside its choices") {
        const std::string err = usage_line(run_soniabk({"list", "--repo", "r", "--kind", "dbx"}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains("--kind: 'dbx' is not one of 'db', 'state'"));
    }
    SECTION("an option without its value") {
        const std::string err = usage_line(run_soniabk({"prune", "--repo", "r", "--keep-daily"}, in_dir(dir)));
        CHECK_THAT(err, Catch::Contains("--keep-daily needs a value"));
    }
}

TEST_CASE("cli messages: --help shows the defaults that apply") {
    TempDir dir;
    const auto prune = run_soniabk({"prune", "--help"}, in_dir(dir));
    REQUIRE(prune.exit_code == 0);
    const auto daily = prune.out.find("--keep-daily");
    REQUIRE(daily != std::string::npos);
    CHECK_THAT(prune.out.substr(daily, prune.out.find('\n', daily) - daily), Catch::Contains("N=7"));
    CHECK_THAT(prune.out, Catch::Contains("--keep-daily 7"));
    const auto purge = run_soniabk({"purge-archived", "--help"}, in_dir(dir));
    REQUIRE(purge.exit_code == 0);
    const auto older = purge.out.find("--older-than");
    REQUIRE(older != std::string::npos);
    const std::string line = purge.out.substr(older, purge.out.find('\n', older) - older);
    CHECK_THAT(line, Catch::Contains("REQUIRED"));
    CHECK_THAT(line, !Catch::Contains("="));  // no default beside REQUIRED
}
