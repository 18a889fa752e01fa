#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <zstd.h>

#include <memory>
#include <vector>

using namespace soniabk;
using nlohmann::json;

namespace {

// The reference zstd library, not soniabk's decoder: what a hand runbook's `zstd -d` does with the stream.
std::string decompress_with_libzstd(const std::string& frame) {
    const std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(), ZSTD_freeDStream);
    ZSTD_inBuffer in{frame.data(), frame.size(), 0};
    std::vector<char> buffer(ZSTD_DStreamOutSize());
    std::string out;
    for (;;) {
        ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
        const std::size_t rc = ZSTD_decompressStream(stream.get(), &chunk, &in);
        REQUIRE_FALSE(ZSTD_isError(rc));
        out.append(buffer.data(), chunk.pos);
        if (rc == 0 && in.pos == in.size) return out;
        REQUIRE((in.pos < in.size || chunk.pos == chunk.size));  // a truncated frame would loop for ever
    }
}

struct KeyedDbRepo {
    test::TempDir dir;
    std::map<std::string, std::string> env;
    json plain_backup;  // a plain backup of the same unchanged database: the bytes a decode must give back

    KeyedDbRepo() {
        test::create_sample_db(dir / "memory.db", {.memories = 300});
        test::init_repo(dir / "repo");
        env = {{"SONIABK_REPO", (dir / "repo").string()}, {"SONIABK_DB", (dir / "memory.db").string()}};
        REQUIRE(test::run_soniabk({"keygen", key().string()}).exit_code == 0);
        plain_backup = backup({});
    }
    std::filesystem::path key() const { return dir / "k.key"; }
    json backup(const std::vector<std::string>& extra) const {
        std::vector<std::string> args{"--json", "backup", "db", "--format", "files"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = test::run_soniabk(args, {env, {}, {}});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    }
    test::ProcessResult decrypt(const std::vector<std::string>& args, std::map<std::string, std::string> extra = {}) const {
        std::map<std::string, std::string> all = env;
        all.insert(extra.begin(), extra.end());
        std::vector<std::string> full{"decrypt"};
        full.insert(full.end(), args.begin(), args.end());
        return test::run_soniabk(full, {all, {}, {}});
    }
    std::string plain_bytes() const { return test::read_text(plain_backup["path"].get<std::string>()); }
    std::size_t files_in_dir() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir.path()), {}));
    }
};

}  // namespace

TEST_CASE("cli decrypt: by id or by path, with or without --decompress") {
    KeyedDbRepo r;
    const json enc = r.backup({"--encrypt", "--key-file", r.key().string()});
    const json both = r.backup({"--compress", "zstd", "--encrypt", "--key-file", r.key().string()});

    SECTION("an encrypted backup by id gives back the database") {
        const auto out = r.decrypt({"--json", enc["backup_id"], "--out", (r.dir / "db.out").string(), "--key-file",
                                    r.key().string()});
        REQUIRE(out.exit_code == 0);
        CHECK(test::read_text(r.dir / "db.out") == r.plain_bytes());
        const auto doc = json::parse(out.out);
        CHECK(doc["content_check"] == "hmac_sha256");
        CHECK(doc["compressed"] == false);
        CHECK(doc["chunks_authenticated"].get<int>() >= 1);
    }
    SECTION("compressed + encrypted by path: the zstd stream, or with --decompress the database") {
        const std::string path = both["path"];
        const auto zst = r.decrypt({path, "--out", (r.dir / "db.zst").string()}, {{"SONIABK_KEY_FILE", r.key().string()}});
        REQUIRE(zst.exit_code == 0);
        const std::string stream = test::read_text(r.dir / "db.zst");
        CHECK(stream.substr(0, 4) == std::string("\x28\xb5\x2f\xfd", 4));  // zstd's frame magic
        // A standard zstd frame: the reference library a hand runbook's tool uses decompresses it to the database.
        CHECK(decompress_with_libzstd(stream) == r.plain_bytes());
        const auto db = r.decrypt({path, "--decompress", "--out", (r.dir / "db.out").string()},
                                  {{"SONIABK_KEY_FILE", r.key().string()}});
        REQUIRE(db.exit_code == 0);
        CHECK(test::read_text(r.dir / "db.out") == r.plain_bytes());
    }
    SECTION("a stored file copied away from its manifest still decrypts (authenticated by its chunks)") {
        std::filesystem::copy_file(both["path"].get<std::string>(), r.dir / "loose.db.zst.enc");
        const auto db = r.decrypt({"--json", (r.dir / "loose.db.zst.enc").string(), "--decompress", "--out",
                                   (r.dir / "db.out").string(), "--key-file", r.key().string()});
        REQUIRE(db.exit_code == 0);
        CHECK(json::parse(db.out)["backup_id"].is_null());
        CHECK(test::read_text(r.dir / "db.out") == r.plain_bytes());
    }
}

TEST_CASE("cli decrypt: wrong key, damage, an existing --out or nothing to do: one clear error, nothing written") {
    KeyedDbRepo r;
    const json enc = r.backup({"--encrypt", "--key-file", r.key().string()});
    const std::string out = (r.dir / "out.db").string();
    REQUIRE(test::run_soniabk({"keygen", (r.dir / "other.key").string()}).exit_code == 0);
    const std::size_t files_before = r.files_in_dir();

    SECTION("wrong key: exit 3") {
        const auto res = r.decrypt({enc["backup_id"], "--out", out, "--key-file", (r.dir / "other.key").string()});
        CHECK(res.exit_code == 3);
        CHECK_THAT(res.err, Catch::Contains("wrong key"));
    }
    SECTION("no key: exit 2") {
        const auto res = r.decrypt({enc["backup_id"], "--out", out});
        CHECK(res.exit_code == 2);
        CHECK_THAT(res.err, Catch::Contains("--key-file"));
    }
    SECTION("a flipped byte in the last chunk: exit 3, the partial output removed") {
        const std::string path = enc["path"];
        std::string bytes = test::read_text(path);
        bytes[bytes.size() - 20] = static_cast<char>(bytes[bytes.size() - 20] ^ 0x40);
        test::write_text(path, bytes);
        const auto res = r.decrypt({"--json", enc["backup_id"], "--out", out, "--key-file", r.key().string()});
        CHECK(res.exit_code == 3);
        CHECK(json::parse(res.out)["error"]["code"] == "tampered");
    }
    SECTION("--out exists: exit 2, untouched") {
        test::write_text(out, "mine");
        const auto res = r.decrypt({enc["backup_id"], "--out", out, "--key-file", r.key().string()});
        CHECK(res.exit_code == 2);
        CHECK(test::read_text(out) == "mine");
        CHECK(r.files_in_dir() == files_before + 1);
        return;
    }
    SECTION("a plain backup: nothing to decrypt") {
        const auto res = r.decrypt({r.plain_backup["backup_id"], "--out", out});
        CHECK(res.exit_code == 2);
        CHECK_THAT(res.err, Catch::Contains("not encrypted"));
    }
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(r.files_in_dir() == files_before);  // not even a temp file
}
