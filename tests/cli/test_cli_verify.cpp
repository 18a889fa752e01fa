#include "cli_fixture.hpp"
#include "repo_init.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using namespace soniabk::test;

namespace {

const Json* find_check(const Json& backup, const std::string& name) {
    for (const auto& c : backup["checks"]) {
        if (c["name"] == name) return &c;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("cli verify: a good backup passes every check") {
    CliFixture f;
    init_repo(f.repo);
    const std::string id = f.run_json({"backup", "db", "--format", "files"})["backup_id"];
    const Json doc = f.run_json({"verify", "--deep"});
    CHECK(doc["ok"] == true);
    REQUIRE(doc["backups"].size() == 1);
    CHECK(doc["backups"][0]["backup_id"] == id);
    CHECK(doc["backups"][0]["passed"] == true);
    CHECK_FALSE(doc["backups"][0].contains("ok"));  // one word for a verdict below the document: passed
    for (const char* name : {"manifest", "data_present", "size", "sha256", "integrity_check"}) {
        INFO(name);
        const Json* check = find_check(doc["backups"][0], name);
        REQUIRE(check != nullptr);
        CHECK((*check)["passed"] == true);
        CHECK_FALSE(check->contains("ok"));
    }
}

TEST_CASE("cli verify: one flipped byte fails verify and names the backup") {
    CliFixture f;
    init_repo(f.repo);
    const Json backup = f.run_json({"backup", "db", "--format", "files"});
    const std::string id = backup["backup_id"];
    test::flip_byte(backup["path"].get<std::string>(), 5000);

    const ProcessResult human = f.run({"verify", id.substr(0, 20)});
    CHECK(human.exit_code == 1);
    CHECK_THAT(human.out, Catch::Contains(id) && Catch::Contains("does not match"));

    const Json doc = f.run_json({"verify", "--all"}, 1);
    CHECK(doc["ok"] == false);
    CHECK(doc["backups"][0]["backup_id"] == id);
    CHECK((*find_check(doc["backups"][0], "sha256"))["passed"] == false);
}

TEST_CASE("cli verify: missing, truncated and hand-edited manifests fail with the file named") {
    CliFixture f;
    init_repo(f.repo);
    const Json backup = f.run_json({"backup", "db", "--format", "files"});
    const fs::path data = backup["path"].get<std::string>();
    const fs::path manifest = data.string() + ".manifest.json";

    SECTION("missing manifest: the backup is incomplete") {
        fs::remove(manifest);
        const Json list = f.run_json({"list"});
        CHECK(list["backups"][0]["status"] == "incomplete");
        CHECK(list["backups"][0]["complete"] == false);
        const Json doc = f.run_json({"verify", "--all"}, 1);
        CHECK(doc["backups"][0]["passed"] == false);
        SECTION("and --latest finds no complete backup") { CHECK(f.run_json({"verify", "--latest"}, 1)["ok"] == false); }
    }
    SECTION("truncated manifest") {
        const std::string text = read_text(manifest);
        write_text(manifest, text.substr(0, text.size() / 2));
        const ProcessResult r = f.run({"verify", "--all"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains(manifest.filename().string()) && Catch::Contains("not valid JSON"));
        CHECK(f.run_json({"list"})["backups"][0]["status"] == "invalid");
    }
    SECTION("hand-edited size") {
        Json m = Json::parse(read_text(manifest));
        m["size_bytes"] = 12;
        write_text(manifest, m.dump());
        const Json doc = f.run_json({"verify", "--all"}, 1);
        CHECK((*find_check(doc["backups"][0], "size"))["passed"] == false);
    }
    SECTION("hand-edited file name pointing outside the repository") {
        Json m = Json::parse(read_text(manifest));
        m["file"] = "../../memory.db";
        write_text(manifest, m.dump());
        const ProcessResult r = f.run({"verify", "--all"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("not a plain file name"));
    }
    SECTION("data file deleted") {
        fs::remove(data);
        const Json doc = f.run_json({"verify"}, 1);
        CHECK((*find_check(doc["backups"][0], "data_present"))["passed"] == false);
    }
}

TEST_CASE("cli verify: --max-age enforces the recovery point objective") {
    CliFixture f;
    init_repo(f.repo);
    f.run_json({"backup", "db", "--format", "files"});
    CHECK(f.run_json({"verify", "--max-age", "24h"})["ok"] == true);
    const Json stale = f.run_json({"verify", "--max-age", "1ms"}, 1);
    CHECK(stale["ok"] == false);
    CHECK(stale["checks"][0]["name"] == "max_age");
    SECTION("a bad duration is a usage error") { CHECK(f.run({"verify", "--max-age", "soon"}).exit_code == 2); }
}

TEST_CASE("cli verify: an empty repository fails rather than passing vacuously") {
    CliFixture f;
    fs::create_directories(f.repo);
    const Json doc = f.run_json({"verify"}, 1);
    CHECK(doc["ok"] == false);
    CHECK(doc["checks"][0]["name"] == "backups_present");
}
