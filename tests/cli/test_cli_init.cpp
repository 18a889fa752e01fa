// `soniabk init`, and backups refusing what is not a repository (a typo, an unmounted disk's mount point).
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli init: creates a repository with its id, format, encryption and database, once") {
    CliFixture f;
    const Json doc = f.run_json({"init", "--encryption", "key_file"});
    CHECK(doc["ok"] == true);
    CHECK(doc["repository"] == f.repo.string());
    const Json& config = doc["config"];
    CHECK(config["type"] == "soniabk-repository");
    CHECK(config["version"] == 1);
    CHECK(config["repository_id"].get<std::string>().starts_with("repo_"));
    CHECK(config["repository_id"].get<std::string>().size() == 21);
    CHECK(config["format"] == "pages");
    CHECK(config["encryption"] == "key_file");
    CHECK(config["source_db"] == fs::absolute(f.db).lexically_normal().string());
    CHECK(config["origin"] == "init");
    CHECK(doc["backups_found"] == 0);
    const fs::path written = doc["config_path"].get<std::string>();
    CHECK(Json::parse(read_text(written)) == config);
    CHECK(platform::is_owner_only(written));
    CHECK(f.files().empty());

    const ProcessResult again = f.run({"init", "--format", "files"});
    CHECK(again.exit_code == 3);
    CHECK_THAT(again.err, Catch::Contains("config.json: already a soniabk repository"));
    CHECK(Json::parse(read_text(written)) == config);

    const ProcessResult human = run_soniabk({"init", "--repo", (f.dir / "second").string(), "--format", "files"});
    CHECK(human.exit_code == 0);
    CHECK_THAT(human.out, Catch::Contains("created repository repo_") && Catch::Contains("format      files") &&
                              Catch::Contains("encryption  plain") && Catch::Contains("(not recorded)"));
    CHECK(run_soniabk({"init", "--repo", (f.dir / "third").string(), "--format", "tar"}).exit_code == 2);
}

TEST_CASE("cli init: a key file given for a plain repository is refused, nothing created") {
    CliFixture f;
    const ProcessResult refused = f.run({"init", "--key-file", (f.dir / "soniabk.key").string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("--encryption is plain") && Catch::Contains("add --encryption key_file"));
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(f.repo / "config.json"));
}

TEST_CASE("cli init: backups refuse a missing path or an empty directory with exit 2 and say to run init") {
    CliFixture f;
    const ProcessResult db = f.run({"backup", "db"});
    CHECK(db.exit_code == 2);
    CHECK_THAT(db.err, Catch::Contains("no such repository: run 'soniabk init --repo " + f.repo.string()));
    const ProcessResult state = f.run({"backup", "state", "--from", (f.dir / "x.json").string()});
    CHECK(state.exit_code == 2);
    CHECK_THAT(state.err, Catch::Contains("soniabk init"));
    CHECK_FALSE(fs::exists(f.repo));
    fs::create_directory(f.repo);  // an unmounted disk's mount point
    const Json refused = f.run_json({"backup", "db"}, 2);
    CHECK(refused["error"]["code"] == "not_a_repository");
    CHECK_THAT(refused["error"]["message"].get<std::string>(), Catch::Contains("not a soniabk repository") &&
                                                                   Catch::Contains("soniabk init"));
    CHECK(fs::is_empty(f.repo));
    const ProcessResult all = f.run({"backup", "all", "--gateway", "http://127.0.0.1:9", "--gateway-dir", f.dir.path().string()});
    CHECK(all.exit_code == 2);
    CHECK(fs::is_empty(f.repo));
    CHECK(f.run({"purge-archived", "--older-than", "30d"}).exit_code == 2);
    CHECK(fs::is_empty(f.repo));
}

TEST_CASE("cli init: a repository older than init is adopted on its first write, and says so") {
    CliFixture f;
    init_repo(f.repo);
    const std::string first = f.run_json({"backup", "db"})["backup_id"];
    fs::remove(f.repo / "config.json");  // as a repository written before init existed

    const ProcessResult human = f.run({"backup", "db"});
    REQUIRE(human.exit_code == 0);
    CHECK_THAT(human.out, Catch::Contains("adopted " + f.repo.string() + " as a repository: wrote its config.json"));
    const Json config = Json::parse(read_text(f.repo / "config.json"));
    CHECK(config["origin"] == "adopted");
    CHECK(config["format"] == "files");
    CHECK(config["encryption"] == "plain");
    CHECK(config["source_db"].is_null());
    const Json next = f.run_json({"backup", "db"});
    CHECK(next["repository_adopted"] == false);
    CHECK(f.run_json({"list"})["backups"].size() == 3);
    CHECK(f.run_json({"show", first})["manifest"]["backup_id"] == first);
}

TEST_CASE("cli init: an encrypted repository refuses a plaintext backup, also one adopted from its backups") {
    CliFixture f;
    REQUIRE(run_soniabk({"keygen", (f.dir / "k.key").string()}).exit_code == 0);
    const ProcessOptions with_key{{{"SONIABK_KEY_FILE", (f.dir / "k.key").string()}}, {}, {}};
    REQUIRE(f.run({"init", "--encryption", "key_file"}).exit_code == 0);

    const ProcessResult plain = f.run({"--json", "backup", "db"}, with_key);
    CHECK(plain.exit_code == 2);
    CHECK(Json::parse(plain.out)["error"]["code"] == "repo_encrypted");
    CHECK_THAT(plain.err, Catch::Contains("only takes encrypted backups") && Catch::Contains("--encrypt"));
    CHECK(f.files().empty());
    write_text(f.dir / "snap.json", R"({"sessions":[],"confirmations":[],"dlq":[],"breakers":[]})");
    CHECK(f.run({"backup", "state", "--from", (f.dir / "snap.json").string()}, with_key).exit_code == 2);
    CHECK(f.files("state").empty());

    const ProcessResult encrypted = f.run({"--json", "backup", "db", "--encrypt"}, with_key);
    REQUIRE(encrypted.exit_code == 0);
    fs::remove(f.repo / "config.json");
    CHECK(f.run({"backup", "db"}, with_key).exit_code == 2);  // adopted: its newest backup is encrypted
    CHECK(Json::parse(read_text(f.repo / "config.json"))["encryption"] == "key_file");
}

TEST_CASE("cli init: an encrypted page store gets its keys at init when the key is given, else at its first backup") {
    CliFixture f;
    const fs::path key = f.dir / "k.key";
    REQUIRE(run_soniabk({"keygen", key.string()}).exit_code == 0);
    const ProcessOptions with_key{{{"SONIABK_KEY_FILE", key.string()}}, {}, {}};
    const fs::path key_record = f.repo / "pages" / "key.json";

    SECTION("given: pages/key.json is written by init, and backups use it unchanged") {
        const Json doc = f.run_json({"init", "--encryption", "key_file", "--key-file", key.string()});
        CHECK(doc["page_keys"] == "created");
        REQUIRE(fs::exists(key_record));
        const std::string record = read_text(key_record);
        CHECK(Json::parse(record)["key_source"] == "key_file");
        CHECK(f.run({"backup", "db", "--encrypt"}, with_key).exit_code == 0);
        CHECK(read_text(key_record) == record);
        const fs::path other = f.dir / "other.key";
        REQUIRE(run_soniabk({"keygen", other.string()}).exit_code == 0);
        const ProcessResult wrong = f.run({"--json", "backup", "db", "--encrypt", "--key-file", other.string()});
        CHECK(wrong.exit_code != 0);
        CHECK(Json::parse(wrong.out)["error"]["code"] == "wrong_key");
    }
    SECTION("not given: deferred to the first encrypted backup, and said so") {
        const ProcessResult human = f.run({"init", "--encryption", "key_file"});
        REQUIRE(human.exit_code == 0);
        CHECK_THAT(human.out, Catch::Contains("made by the first encrypted backup"));
        CHECK_FALSE(fs::exists(key_record));
        CHECK(f.run({"backup", "db", "--encrypt"}, with_key).exit_code == 0);
        CHECK(fs::exists(key_record));
    }
    SECTION("plain and files repositories need none") {
        CHECK(f.run_json({"init", "--format", "files", "--encryption", "key_file"}, 0, with_key)["page_keys"] == "not_needed");
        CHECK(run_soniabk({"--json", "init", "--repo", (f.dir / "plain").string()}, with_key).out.find("\"not_needed\"") !=
              std::string::npos);
    }
}
