#include "io/hash.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace soniabk;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// A backup of a 60-memory database (taken with `codec` flags), a 10-memory live database to restore over,
// and a key file; the key reaches soniabk only through SONIABK_KEY_FILE where a case passes `keyed`.
struct EncodedRepo {
    test::TempDir dir;
    fs::path repo = dir / "repo";
    fs::path live = dir / "live" / "memory.db";
    fs::path key = dir / "backup.key";
    std::map<std::string, std::string> keyed{{"SONIABK_KEY_FILE", key.string()}};
    Json backup;

    explicit EncodedRepo(const std::vector<std::string>& codec) {
        fs::create_directories(live.parent_path());
        test::create_sample_db(dir / "memory.db", {.memories = 60});
        test::init_repo(repo);
        test::create_sample_db(live, {.memories = 10});
        REQUIRE(test::run_soniabk({"keygen", key.string()}).exit_code == 0);
        std::vector<std::string> args{"--json", "backup", "db", "--format", "files", "--repo", repo.string(), "--db", (dir / "memory.db").string()};
        args.insert(args.end(), codec.begin(), codec.end());
        const auto r = test::run_soniabk(args, {keyed, {}, {}});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        backup = Json::parse(r.out);
    }

    test::ProcessResult run(const std::string& command, std::vector<std::string> args,
                            const std::map<std::string, std::string>& env) const {
        std::vector<std::string> all{command, "--json", "--repo", repo.string()};
        if (command == "restore") all.insert(all.end(), {"--db", live.string()});
        all.insert(all.end(), args.begin(), args.end());
        return test::run_soniabk(all, {env, {}, {}});
    }

    // Nothing but the live database (and no temp copy) beside the target.
    std::vector<std::string> files_beside_target() const {
        std::vector<std::string> names;
        for (const auto& item : fs::directory_iterator(live.parent_path())) names.push_back(item.path().filename().string());
        return names;
    }
};

// Flips one byte in the middle of the stored file and records the damage in its manifest, so only the
// encryption's own authentication (or the content digest) can notice.
void tamper_behind_matching_manifest(const Json& backup) {
    const fs::path stored = backup["path"].get<std::string>();
    std::string bytes = test::read_text(stored);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    std::ofstream(stored, std::ios::binary | std::ios::trunc) << bytes;
    const fs::path manifest_path = backup["manifest_path"].get<std::string>();
    Json manifest = Json::parse(test::read_text(manifest_path));
    manifest["sha256"] = hash_file(stored).sha256;
    std::ofstream(manifest_path, std::ios::trunc) << manifest.dump();
}

}  // namespace

TEST_CASE("cli encoded restore: plain, zstd, encrypted and both go backup -> verify --deep -> restore -> drill") {
    const auto codec = GENERATE(std::vector<std::string>{}, std::vector<std::string>{"--compress", "zstd"},
                                std::vector<std::string>{"--encrypt"},
                                std::vector<std::string>{"--compress", "zstd:5", "--encrypt"});
    EncodedRepo s(codec);
    INFO("backup flags: " << Json(codec).dump());

    const auto verified = s.run("verify", {"--deep"}, s.keyed);
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);

    const auto restored = s.run("restore", {"--latest"}, s.keyed);
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    const Json r = Json::parse(restored.out);
    CHECK(r["ok"] == true);
    CHECK(r["backup_id"] == s.backup["backup_id"]);
    CHECK(test::count_rows(s.live, "memories") == 60);
    {
        Database db = Database::open(s.live, Database::Mode::read_only);
        CHECK(db.query_text("PRAGMA integrity_check") == "ok");
        CHECK(db.query_text("PRAGMA journal_mode") == "wal");  // as the source was, even when the manifest cannot say
    }
    CHECK(fs::exists(r["replaced_path"].get<std::string>()));

    const auto drilled = s.run("drill", {}, s.keyed);
    INFO(drilled.out << drilled.err);
    CHECK(drilled.exit_code == 0);
    CHECK(Json::parse(drilled.out)["passed"] == true);
}

TEST_CASE("cli encoded restore: without the key or with the wrong one, nothing is touched") {
    EncodedRepo s({"--compress", "zstd", "--encrypt"});
    const std::string before = test::read_text(s.live);

    SECTION("no key: a usage error naming what is needed") {
        const auto r = s.run("restore", {"--latest"}, {{"SONIABK_KEY_FILE", ""}});
        CHECK(r.exit_code == 2);
        CHECK(Json::parse(r.out)["error"]["code"] == "key_required");
        CHECK_THAT(r.err, Catch::Contains("key"));
    }
    SECTION("another key: refused before a byte is decoded") {
        const fs::path other = s.dir / "other.key";
        REQUIRE(test::run_soniabk({"keygen", other.string()}).exit_code == 0);
        const auto r = s.run("restore", {"--latest"}, {{"SONIABK_KEY_FILE", other.string()}});
        CHECK(r.exit_code == 3);
        CHECK(Json::parse(r.out)["error"]["code"] == "wrong_key");
        CHECK_THAT(r.err, Catch::Contains(s.backup["path"].get<std::string>()));
    }
    SECTION("a drill without the key fails its restore step with key_required and exit 2, as restore does") {
        const auto r = s.run("drill", {}, {{"SONIABK_KEY_FILE", ""}});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("key"));
        const Json drill = Json::parse(r.out);
        CHECK(drill["error"]["code"] == "key_required");
        CHECK(drill["passed"] == false);
        CHECK(drill["steps"][1]["step"] == "restore_database");
        CHECK(drill["steps"][1]["passed"] == false);
        CHECK(fs::exists(s.repo / "incidents"));
    }
    CHECK(test::read_text(s.live) == before);
    CHECK(s.files_beside_target() == std::vector<std::string>{"memory.db"});
}

TEST_CASE("cli encoded restore: a tampered chunk behind a matching SHA-256 is refused, the live database untouched") {
    EncodedRepo s({"--encrypt"});
    tamper_behind_matching_manifest(s.backup);
    const std::string before = test::read_text(s.live);

    const auto r = s.run("restore", {"--latest"}, s.keyed);
    CHECK(r.exit_code == 3);
    CHECK(Json::parse(r.out)["error"]["code"] == "tampered");
    CHECK(test::read_text(s.live) == before);
    CHECK(s.files_beside_target() == std::vector<std::string>{"memory.db"});

    const auto drilled = s.run("drill", {}, s.keyed);
    CHECK(drilled.exit_code == 1);
    CHECK(Json::parse(drilled.out)["passed"] == false);
}

TEST_CASE("cli encoded restore: a compressed backup whose content digest differs is refused") {
    EncodedRepo s({"--compress", "zstd"});
    const fs::path manifest_path = s.backup["manifest_path"].get<std::string>();
    Json manifest = Json::parse(test::read_text(manifest_path));
    manifest["content"]["sha256"] = std::string(64, '0');
    std::ofstream(manifest_path, std::ios::trunc) << manifest.dump();
    const std::string before = test::read_text(s.live);

    const auto r = s.run("restore", {"--latest"}, {});
    CHECK(r.exit_code == 3);
    CHECK(Json::parse(r.out)["error"]["code"] == "content_mismatch");
    CHECK(test::read_text(s.live) == before);
    CHECK(s.files_beside_target() == std::vector<std::string>{"memory.db"});
}

TEST_CASE("cli encoded restore: --dry-run checks the key from the header and plans a decode, changing nothing") {
    EncodedRepo s({"--compress", "zstd", "--encrypt"});
    const std::string before = test::read_text(s.live);

    const auto planned = s.run("restore", {"--latest", "--dry-run"}, s.keyed);
    INFO(planned.err);
    REQUIRE(planned.exit_code == 0);
    const Json plan = Json::parse(planned.out);
    CHECK(plan["plan"][0]["action"] == "decode");
    bool key_checked = false;
    for (const auto& step : plan["steps"]) key_checked = key_checked || (step["step"] == "check_key" && step["passed"] == true);
    CHECK(key_checked);

    CHECK(s.run("restore", {"--latest", "--dry-run"}, {{"SONIABK_KEY_FILE", ""}}).exit_code == 2);
    const fs::path other = s.dir / "other.key";
    REQUIRE(test::run_soniabk({"keygen", other.string()}).exit_code == 0);
    CHECK(s.run("restore", {"--latest", "--dry-run"}, {{"SONIABK_KEY_FILE", other.string()}}).exit_code == 3);
    CHECK(test::read_text(s.live) == before);
    CHECK(s.files_beside_target() == std::vector<std::string>{"memory.db"});
}
