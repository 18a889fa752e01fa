// Repositories in an S3 bucket (a real Ceph RADOS Gateway on 127.0.0.1), through the binary as an operator runs
// it: init, backup db, list, verify --deep, restore; copy from a local repository; bad credentials; the config
// file's [s3] table in place of the environment.
#include "cli_fixture.hpp"
#include "io/hash.hpp"
#include "process.hpp"
#include "s3_server.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/s3_storage.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace soniabk;
using soniabk::test::CliFixture;

namespace {

// The fixture's repository is a fresh s3:// prefix, and every run gets the gateway's AWS_* settings.
struct S3Fixture {
    explicit S3Fixture(const S3Settings& settings) : env{test::s3_environment(settings), {}, {}} {
        f.repo = test::fresh_s3_url(settings);
    }
    Json run_json(std::vector<std::string> args, int expected_exit = 0) const { return f.run_json(args, expected_exit, env); }

    CliFixture f{{.memories = 300}};
    test::ProcessOptions env;
};

}  // namespace

TEST_CASE("cli s3: init, backup db, list, verify --deep and restore work on an s3:// repository") {
    SONIABK_REQUIRE_S3(settings);
    for (const char* format : {"pages", "files"}) {
        INFO(format);
        S3Fixture s3(*settings);
        CHECK(s3.run_json({"init", "--format", format})["ok"] == true);
        const Json backup = s3.run_json({"backup", "db"});
        CHECK(backup["ok"] == true);
        const Json list = s3.run_json({"list"});
        REQUIRE(list["backups"].size() == 1);
        CHECK(list["backups"][0]["status"] == "complete");
        CHECK(list["backups"][0]["path"].get<std::string>().starts_with(s3.f.repo.string() + "/db/"));
        CHECK(s3.run_json({"verify", "--deep"})["ok"] == true);
        Database::open(s3.f.db, Database::Mode::read_write).exec("DELETE FROM memories");
        REQUIRE(test::count_rows(s3.f.db, "memories") == 0);
        CHECK(s3.run_json({"restore", "--latest"})["ok"] == true);
        CHECK(test::count_rows(s3.f.db, "memories") == 300);
        const storage::S3Storage bucket(*settings, parse_s3_url(s3.f.repo.string()));
        int restores_journaled = 0;
        for (const auto& record : bucket.list("journal/")) {
            restores_journaled += Json::parse(bucket.read_all(record.key)).value("command", "") == "restore";
        }
        CHECK(restores_journaled == 1);
        const Json status = s3.run_json({"status"});
        CHECK(status["kinds"][0]["backups"] == 1);
        CHECK(status["space"]["free_bytes"].is_null());
    }
}

TEST_CASE("cli s3: copy --to s3:// copies a local repository's backups, only what the bucket lacks") {
    SONIABK_REQUIRE_S3(settings);
    CliFixture local({.memories = 300});
    REQUIRE(local.run({"init", "--format", "files"}).exit_code == 0);
    REQUIRE(local.run({"backup", "db"}).exit_code == 0);
    REQUIRE(local.run({"backup", "db"}).exit_code == 0);
    const std::string bucket = test::fresh_s3_url(*settings);
    const test::ProcessOptions env{test::s3_environment(*settings), {}, {}};
    REQUIRE(test::run_soniabk({"init", "--repo", bucket, "--format", "files"}, env).exit_code == 0);
    const Json first = local.run_json({"copy", "--to", bucket, "--all"}, 0, env);
    CHECK(first["copied"].size() == 2);
    const Json again = local.run_json({"copy", "--to", bucket, "--all"}, 0, env);
    CHECK(again["copied"].empty());
    const auto verify = test::run_soniabk({"verify", "--all", "--deep", "--json", "--repo", bucket}, env);
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}

TEST_CASE("cli s3: backup db copies each new backup to an s3:// [copy] to, throttled, and status reports its lag") {
    SONIABK_REQUIRE_S3(settings);
    CliFixture local({.memories = 3000});
    REQUIRE(local.run({"init", "--format", "pages"}).exit_code == 0);
    const std::string bucket = test::fresh_s3_url(*settings);
    const fs::path config = local.dir / "soniabk.toml";
    test::write_text(config, "[copy]\nto = \"" + bucket + "\"\n");
    const test::ProcessOptions plain{test::s3_environment(*settings), {}, {}};
    test::ProcessOptions env = plain;
    env.env["SONIABK_CONFIG"] = config.string();
    REQUIRE(test::run_soniabk({"init", "--repo", bucket, "--format", "pages"}, plain).exit_code == 0);

    const Json backup = local.run_json({"backup", "db"}, 0, env);
    const std::string id = backup["backup_id"];
    CHECK(backup["copy"]["copied"] == Json::array({id}));
    const fs::path prom = local.dir / "soniabk.prom";
    const Json status = local.run_json({"status", "--prometheus", prom.string()}, 0, env);
    REQUIRE(status["offsite"].size() == 1);
    CHECK(status["offsite"][0]["target"] == bucket);
    CHECK(status["offsite"][0]["newest"]["backup_id"] == id);
    CHECK(status["offsite"][0]["rpo_violated"] == false);
    CHECK(test::read_text(prom).find("soniabk_offsite_lag_seconds{target=\"" + bucket + "\"}") != std::string::npos);
    CHECK(local.run_json({"status", "--rpo", "1ms"}, 1, env)["offsite"][0]["rpo_violated"] == true);

    // A second backup (not copied: no config), copied at 200 KiB/s: its new pack cannot arrive faster than that.
    Database::open(local.db, Database::Mode::read_write).exec("UPDATE memories SET embedding = randomblob(64)");
    REQUIRE(local.run({"backup", "db"}, plain).exit_code == 0);
    const Json throttled = local.run_json({"copy", "--to", bucket, "--latest", "--bwlimit", "200K"}, 0, plain);
    REQUIRE(throttled["copied"].size() == 1);
    const double bytes = throttled["bytes_copied"];
    CHECK(bytes > 150e3);
    CHECK(throttled["duration_seconds"].get<double>() >= 0.8 * bytes / (200 * 1024));
    const auto verify = test::run_soniabk({"verify", "--all", "--deep", "--json", "--repo", bucket}, plain);
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}

TEST_CASE("cli s3: wrong credentials and a prefix that is no repository are one clear line each") {
    SONIABK_REQUIRE_S3(settings);
    S3Fixture s3(*settings);
    REQUIRE(s3.run_json({"init"})["ok"] == true);
    auto wrong = s3.env;
    wrong.env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret";
    const auto denied = s3.f.run({"list"}, wrong);
    CHECK(denied.exit_code == 3);
    CHECK(denied.err.find(s3.f.repo.string()) != std::string::npos);
    CHECK(denied.err.find("access denied") != std::string::npos);
    CHECK(std::count(denied.err.begin(), denied.err.end(), '\n') == 1);
    const auto not_a_repo = test::run_soniabk({"backup", "db", "--db", s3.f.db.string(), "--repo",
                                               test::fresh_s3_url(*settings)}, s3.env);
    CHECK(not_a_repo.exit_code == 2);
    CHECK(not_a_repo.err.find("run 'soniabk init --repo s3://") != std::string::npos);
}

TEST_CASE("cli s3: the config file's [s3] table alone reaches the gateway, and no document shows its secret") {
    SONIABK_REQUIRE_S3(settings);
    CliFixture f({.memories = 50});
    f.repo = test::fresh_s3_url(*settings);
    test::write_text(f.dir / "soniabk.toml",
                     fmt::format("[s3]\nendpoint = \"{}\"\nregion = \"{}\"\naccess_key_id = \"{}\"\n"
                                 "secret_access_key = \"{}\"\nretry_budget = \"20s\"\n",
                                 settings->endpoint, settings->region, settings->access_key_id, settings->secret_key));
    std::map<std::string, std::string> no_aws;
    for (const auto& [name, value] : test::s3_environment(*settings)) no_aws[name] = "";
    const test::ProcessOptions options = test::in_dir(f.dir, no_aws);
    const auto documents = [&](std::vector<std::string> args) {
        const Json doc = f.run_json(args, 0, options);
        CHECK(doc.dump().find(settings->secret_key) == std::string::npos);
        return doc;
    };
    CHECK(documents({"init"})["ok"] == true);
    CHECK(documents({"backup", "db"})["ok"] == true);
    const Json list = documents({"list"});
    REQUIRE(list["backups"].size() == 1);
    documents({"show", list["backups"][0]["backup_id"].get<std::string>()});  // the manifest itself
    documents({"status"});
    const Json show = documents({"config", "show"});
    CHECK(show["s3"][0]["value"] == settings->endpoint);
    CHECK(show["s3"][0]["source"] == "file");
    const auto text = f.run({"config", "show"}, options);
    CHECK(text.out.find(settings->secret_key) == std::string::npos);
}

TEST_CASE("cli s3: verify compares the digest recorded with each object, downloading no data, and --deep reads it") {
    SONIABK_REQUIRE_S3(settings);
    S3Fixture s3(*settings);
    REQUIRE(s3.run_json({"init", "--format", "files"})["ok"] == true);
    const std::string data_key = s3.run_json({"backup", "db"})["path"].get<std::string>().substr(s3.f.repo.string().size() + 1);
    const auto data_downloads = [&](const std::vector<std::string>& args) {
        const auto run = s3.f.run(args, s3.env);
        INFO(run.err);
        std::size_t downloads = 0;
        for (std::size_t at = run.err.find("http GET "); at != std::string::npos; at = run.err.find("http GET ", at + 1)) {
            const std::string line = run.err.substr(at, run.err.find('\n', at) - at);
            downloads += line.find(data_key + " ") != std::string::npos || line.find(data_key + "?") != std::string::npos;
        }
        return std::pair{run.exit_code, downloads};
    };
    CHECK(data_downloads({"verify", "-vv"}) == std::pair{0, std::size_t{0}});
    CHECK(data_downloads({"verify", "--deep", "-vv"}).first == 0);
    CHECK(data_downloads({"verify", "--deep", "-vv"}).second >= 1);
    const Json verified = s3.run_json({"verify"});
    bool recorded = false;
    for (const Json& check : verified["backups"][0]["checks"]) {
        if (check["name"] == "sha256") recorded = test::has(check["detail"].get<std::string>(), "(recorded with the object)");
    }
    CHECK(recorded);

    // Other bytes of the same size under the backup's key: the digest recorded with them is not the manifest's.
    storage::S3Storage bucket(*settings, parse_s3_url(s3.f.repo.string()));
    std::string other = bucket.read_all(data_key);
    other[other.size() / 2] ^= 0x01;
    bucket.remove(data_key);
    bucket.write_all(data_key, other, storage::Overwrite::never);
    const Json replaced = s3.run_json({"verify"}, 1);
    CHECK(replaced["ok"] == false);
    CHECK(test::has(replaced.dump(), "the object was stored with SHA-256 " + sha256_hex(other)));

    // Bytes put there by another tool carry no digest: verify reads them and finds the difference.
    bucket.remove(data_key);
    REQUIRE(bucket.client().send({"PUT", bucket.full_key(data_key), {}, {}, other}).status == 200);
    const auto [exit_code, downloads] = data_downloads({"verify", "-vv"});
    CHECK(exit_code == 1);
    CHECK(downloads >= 1);
}
