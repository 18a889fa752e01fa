#include "commands/backup.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace soniabk;
using nlohmann::json;

namespace {

// A repository, a sample database, a key, and a private TMPDIR so scratch leftovers are visible.
struct EncryptedRepo {
    test::TempDir dir;
    std::map<std::string, std::string> env;

    EncryptedRepo(int memories = 200) {
        test::create_sample_db(dir / "memory.db", {.memories = memories});
        test::init_repo(dir / "repo");
        std::filesystem::create_directories(dir / "tmp");
        env = test::temp_dir_env(dir / "tmp");
        env.insert({{"SONIABK_REPO", (dir / "repo").string()}, {"SONIABK_DB", (dir / "memory.db").string()}});
        REQUIRE(test::run_soniabk({"keygen", key().string()}).exit_code == 0);
    }
    std::filesystem::path key() const { return dir / "k.key"; }
    std::string key_hex() const {
        const std::string text = test::read_text(key());
        return text.substr(text.rfind(' ') + 1, 64);
    }
    test::ProcessResult run(const std::vector<std::string>& args, std::map<std::string, std::string> extra = {}) const {
        std::map<std::string, std::string> all = env;
        all.insert(extra.begin(), extra.end());
        return test::run_soniabk(args, {all, {}, {}});
    }
    json run_json(const std::vector<std::string>& args, int expected_exit = 0,
                  std::map<std::string, std::string> extra = {}) const {
        std::vector<std::string> with_json{"--json"};
        with_json.insert(with_json.end(), args.begin(), args.end());
        const auto r = run(with_json, std::move(extra));
        INFO(r.err);
        CHECK(r.exit_code == expected_exit);
        return json::parse(r.out);
    }
    std::size_t scratch_leftovers() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir / "tmp"), {}));
    }
};

const json* check_named(const json& backup, const std::string& name) {
    for (const auto& c : backup["checks"]) {
        if (c["name"] == name) return &c;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("cli backup: --compress and --encrypt store .db.zst / .db.enc / .db.zst.enc that verify --deep") {
    EncryptedRepo s;
    const auto zst = s.run_json({"backup", "db", "--format", "files", "--compress", "zstd"});
    CHECK(zst["path"].get<std::string>().ends_with(".db.zst"));
    CHECK(zst["manifest"]["compression"] == json{{"algorithm", "zstd"}, {"level", 3}});
    CHECK(zst["manifest"]["content"]["sha256"].is_string());
    CHECK(zst["manifest"]["database"]["memories"]["total"] == 200);

    const auto enc = s.run_json({"backup", "db", "--format", "files", "--encrypt", "--key-file", s.key().string()});
    CHECK(enc["path"].get<std::string>().ends_with(".db.enc"));
    CHECK(enc["manifest"]["encryption"]["key_source"] == "key_file");
    CHECK_FALSE(enc["manifest"].contains("database"));
    CHECK_FALSE(enc["manifest"]["content"].contains("sha256"));

    const auto both = s.run_json({"backup", "db", "--format", "files", "--compress", "zstd:9", "--encrypt"}, 0,
                                 {{"SONIABK_KEY_FILE", s.key().string()}});
    CHECK(both["path"].get<std::string>().ends_with(".db.zst.enc"));
    CHECK(both["manifest"]["compression"]["level"] == 9);
    CHECK(s.scratch_leftovers() == 0);

    SECTION("verify without the key checks the stored hashes") {
        const auto v = s.run_json({"verify", "--all"});
        CHECK(v["ok"] == true);
        CHECK(v["backups"].size() == 3);
    }
    SECTION("verify --deep without the key is a usage error (exit 2, key_required) naming what is missing") {
        const auto r = s.run({"--json", "verify", "--all", "--deep"});
        CHECK(r.exit_code == 2);
        const json v = json::parse(r.out);
        CHECK(v["ok"] == false);
        CHECK(v["error"]["code"] == "key_required");
        CHECK_THAT(r.err, Catch::Contains("SONIABK_KEY_FILE"));
    }
    SECTION("verify --deep with the key authenticates, decodes and integrity-checks every one") {
        const auto v = s.run_json({"verify", "--all", "--deep", "--key-file", s.key().string()});
        for (const auto& b : v["backups"]) {
            CHECK(check_named(b, "decode")->at("passed") == true);
            CHECK(check_named(b, "integrity_check")->at("detail") == "ok");
        }
        CHECK(s.scratch_leftovers() == 0);
    }
    SECTION("verify --deep with another key fails with 'wrong key'") {
        REQUIRE(s.run({"keygen", (s.dir / "other.key").string()}).exit_code == 0);
        const auto v = s.run_json({"verify", both["backup_id"], "--deep", "--key-file", (s.dir / "other.key").string()}, 1);
        CHECK_THAT(check_named(v["backups"][0], "decode")->at("detail").get<std::string>(), Catch::Contains("wrong key"));
    }
    SECTION("the key never reaches output, manifests or the journal") {
        for (const auto& doc : {zst, enc, both}) CHECK(doc.dump().find(s.key_hex()) == std::string::npos);
        for (const auto& entry : std::filesystem::directory_iterator(s.dir / "repo" / "db")) {
            if (entry.path().string().ends_with(".json")) CHECK(test::read_text(entry.path()).find(s.key_hex()) == std::string::npos);
        }
        CHECK(test::read_text(s.dir / "repo" / "journal.jsonl").find(s.key_hex()) == std::string::npos);
    }
}

// Each scrypt derivation at the default cost takes a noticeable fraction of a second: one here.
TEST_CASE("cli backup: a passphrase comes from SONIABK_PASSPHRASE and never shows anywhere") {
    EncryptedRepo s(50);
    const std::string pass = "a passphrase nobody guesses 9731";
    const auto r = s.run({"--json", "backup", "db", "--format", "files", "--encrypt"}, {{"SONIABK_PASSPHRASE", pass}});
    REQUIRE(r.exit_code == 0);
    const auto doc = json::parse(r.out);
    CHECK(doc["manifest"]["encryption"]["kdf"] == json{{"name", "scrypt"}, {"log2_n", 17}, {"r", 8}, {"p", 1}});
    CHECK(r.out.find(pass) == std::string::npos);
    CHECK(r.err.find(pass) == std::string::npos);
    CHECK(test::read_text(s.dir / "repo" / "journal.jsonl").find(pass) == std::string::npos);
    CHECK(test::read_text(doc["manifest_path"].get<std::string>()).find(pass) == std::string::npos);
    CHECK(s.run_json({"verify"})["ok"] == true);  // the stored hash needs no passphrase
}

// The backup is made in-process at a low scrypt cost; the CLI takes the cost from the file's header.
TEST_CASE("cli backup: verify --deep and decrypt with the right and the wrong passphrase") {
    EncryptedRepo s(50);
    BackupDbOptions options;
    options.repo = s.dir / "repo";
    options.db = s.dir / "memory.db";
    options.format = BackupFormat::files;  // these cases are about stored files
    options.codec.encrypt = true;
    options.codec.scrypt = {10, 8, 1};
    options.codec.keys.passphrase = [](bool) { return SecretBytes("the right passphrase", 20); };
    const BackupResult backup = backup_database(options);
    const std::map<std::string, std::string> right{{"SONIABK_PASSPHRASE", "the right passphrase"}};
    const std::map<std::string, std::string> wrong{{"SONIABK_PASSPHRASE", "the wrong passphrase"}};
    CHECK(s.run_json({"verify", "--deep"}, 0, right)["ok"] == true);
    CHECK_THAT(s.run_json({"verify", "--deep"}, 1, wrong).dump(), Catch::Contains("wrong passphrase"));
    const std::string out = (s.dir / "out.db").string();
    const auto refused = s.run({"decrypt", backup.manifest.backup_id, "--out", out}, wrong);
    CHECK(refused.exit_code == 3);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(s.run({"decrypt", backup.manifest.backup_id, "--out", out}, right).exit_code == 0);
    CHECK(test::count_rows(out, "memories") == 50);
}

TEST_CASE("cli backup: bad codec options are usage errors that write nothing") {
    EncryptedRepo s(10);
    auto refused = [&](const std::vector<std::string>& args, const std::string& says) {
        const auto r = s.run(args);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(says));
        CHECK((!std::filesystem::exists(s.dir / "repo" / "db") || std::filesystem::is_empty(s.dir / "repo" / "db")));
    };
    refused({"backup", "db", "--format", "files", "--compress", "gzip"}, "zstd:LEVEL");
    refused({"backup", "db", "--format", "files", "--compress", "zstd:42"}, "zstd:LEVEL");
    refused({"backup", "db", "--format", "files", "--key-file", s.key().string()}, "--key-file needs --encrypt");
    refused({"backup", "db", "--format", "files", "--encrypt"}, "--encrypt needs a key");
    refused({"backup", "db", "--format", "files", "--encrypt", "--key-file", (s.dir / "nope.key").string()}, "nope.key: key file not found");
    const auto short_pass = s.run({"backup", "db", "--format", "files", "--encrypt"}, {{"SONIABK_PASSPHRASE", "abc"}});
    CHECK(short_pass.exit_code == 2);
    CHECK_THAT(short_pass.err, Catch::Contains("shorter than 8"));
}

TEST_CASE("cli backup: a kill while encoding or before the manifest leaves no complete-looking backup") {
    EncryptedRepo s(4000);  // a few MiB: several chunks to be killed between
    const char* fault = GENERATE("stream.chunk", "backup.after_encode", "backup.after_data_published");
    INFO(fault);
    const auto killed = s.run({"backup", "db", "--format", "files", "--compress", "zstd", "--encrypt", "--key-file", s.key().string()},
                              {{"SONIABK_FAULT", fault}});
    CHECK(killed.signal == 9);
    const auto list = s.run_json({"list"});
    for (const auto& b : list["backups"]) CHECK(b["complete"] == false);
    const auto v = s.run_json({"verify", "--latest"}, 1);
    CHECK(v["ok"] == false);
    CHECK(s.scratch_leftovers() == 1);  // the killed run's plaintext snapshot, in a private directory

    const auto again = s.run_json({"backup", "db", "--format", "files", "--compress", "zstd", "--encrypt", "--key-file", s.key().string()});
    CHECK(s.scratch_leftovers() == 0);  // the next run removed it
    const auto deep = s.run_json({"verify", again["backup_id"], "--deep", "--key-file", s.key().string()});
    CHECK(deep["ok"] == true);
}
