#include "cli_fixture.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli list: newest first, filtered by kind and label") {
    CliFixture f;
    init_repo(f.repo);
    const std::string daily = f.run_json({"backup", "db"})["backup_id"];
    const std::string manual = f.run_json({"backup", "db", "--label", "manual"})["backup_id"];

    const Json all = f.run_json({"list"});
    CHECK(all["ok"] == true);
    REQUIRE(all["backups"].size() == 2);
    CHECK(all["backups"][0]["backup_id"] == manual);
    CHECK(all["backups"][1]["backup_id"] == daily);
    for (const char* key : {"backup_id", "kind", "label", "timestamp", "size_bytes", "path", "status"}) {
        INFO(key);
        CHECK(all["backups"][0].contains(key));
    }

    const Json manual_only = f.run_json({"list", "--label", "manual"});
    REQUIRE(manual_only["backups"].size() == 1);
    CHECK(manual_only["backups"][0]["backup_id"] == manual);
    CHECK(f.run_json({"list", "--kind", "state"})["backups"].empty());

    SECTION("human output is a table with the ids") {
        const ProcessResult r = f.run({"list"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::StartsWith("ID") && Catch::Contains(short_id(daily)) && Catch::Contains(short_id(manual)));
        CHECK_THAT(r.out, !Catch::Contains(daily));  // the short form: the id's random part
    }
    SECTION("any unique prefix of an id's random part finds the backup") {
        CHECK(f.run_json({"show", short_id(daily)})["backup"]["backup_id"] == daily);
        CHECK(f.run_json({"list"})["backups"][0]["short_id"] == short_id(manual));
        CHECK(f.run_json({"verify", short_id(daily)})["ok"] == true);
    }
    SECTION("global options also work before the command and from the environment") {
        const ProcessResult r = run_soniabk({"--json", "list"}, {.env = {{"SONIABK_REPO", f.repo.string()}}});
        CHECK(r.exit_code == 0);
        CHECK(Json::parse(r.out)["backups"].size() == 2);
    }
}

TEST_CASE("cli list: the text table gives sizes in binary units, KiB and MiB, with one decimal") {
    CliFixture f;
    init_repo(f.repo);
    f.run_json({"backup", "db", "--format", "files"});
    Database::open(f.db, Database::Mode::read_write).exec("CREATE TABLE pad(b); INSERT INTO pad VALUES (zeroblob(3 * 1024 * 1024))");
    f.run_json({"backup", "db", "--format", "files"});
    const ProcessResult r = f.run({"list"});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Matches("[\\s\\S]*  3\\.[0-9] MiB  [\\s\\S]*"));
    CHECK_THAT(r.out, Catch::Matches("[\\s\\S]*  [1-9][0-9]*\\.[0-9] KiB  [\\s\\S]*"));
    CHECK_THAT(r.out, !Catch::Contains(" KB") && !Catch::Contains(" kB") && !Catch::Contains(" MB"));
}

TEST_CASE("cli list: a missing repository is a runtime error naming it") {
    CliFixture f;
    const ProcessResult r = f.run({"list"});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("no such repository"));
}
