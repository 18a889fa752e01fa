#include "commands/backup.hpp"
#include "byte_sinks.hpp"
#include "repo/read_backup.hpp"
#include "codec/encode.hpp"
#include "base/error.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"
#include "commands/verify.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

struct Variant {
    const char* name;
    bool compress;
    bool encrypt;
    const char* suffix;
};

KeyOptions key_file_keys(const fs::path& key) {
    KeyOptions keys;
    keys.key_file = key;
    return keys;
}

BackupResult backup(const fs::path& dir, CodecOptions codec) {
    test::init_repo(dir / "repo");
    BackupDbOptions options;
    options.repo = dir / "repo";
    options.db = dir / "memory.db";
    options.format = BackupFormat::files;  // these cases are about stored files
    options.codec = std::move(codec);
    return backup_database(options);
}

const BackupEntry& entry_for(const std::vector<BackupEntry>& entries, const BackupResult& result) {
    return find_backup(entries, result.manifest.backup_id);
}

std::vector<std::string> check_names(const BackupVerification& v) {
    std::vector<std::string> names;
    for (const auto& c : v.checks) names.push_back(c.name);
    return names;
}

std::string failing_detail(const BackupVerification& v) {
    for (const auto& c : v.checks) {
        if (!c.ok) return c.name + ": " + c.detail;
    }
    return "";
}

}  // namespace

TEST_CASE("codec: plain, zstd, encrypted and both round-trip through backup -> verify --deep -> decode") {
    const Variant v = GENERATE(Variant{"plain", false, false, ".db"}, Variant{"zstd", true, false, ".db.zst"},
                               Variant{"encrypted", false, true, ".db.enc"}, Variant{"both", true, true, ".db.zst.enc"});
    INFO(v.name);
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 3000});
    generate_key_file(dir / "k.key");
    const BackupResult reference = backup(dir.path(), {});  // an unchanged source snapshots to identical bytes
    CodecOptions codec;
    if (v.compress) codec.zstd_level = 3;
    codec.encrypt = v.encrypt;
    codec.keys = key_file_keys(dir / "k.key");
    codec.chunk_log2 = 16;  // several chunks even for a small test database
    const BackupResult result = backup(dir.path(), codec);
    const Manifest& m = result.manifest;
    CHECK(result.path.filename().string().ends_with(v.suffix));
    CHECK(m.compression.has_value() == v.compress);
    CHECK(m.encryption.has_value() == v.encrypt);

    const std::vector<BackupEntry> entries = Repository::open(dir / "repo").scan();
    const BackupEntry& entry = entry_for(entries, result);
    const BackupVerification deep = verify_backup(entry, VerifyDepth::deep, key_file_keys(dir / "k.key"));
    INFO(failing_detail(deep));
    CHECK(deep.ok);
    if (v.compress || v.encrypt) {
        CHECK(check_names(deep) == std::vector<std::string>{"manifest", "data_present", "size", "sha256", "decode",
                                                             "integrity_check"});
        CHECK(m.format_version == 2);
        REQUIRE(m.content);
        CHECK(m.content->size_bytes == reference.manifest.size_bytes);
    } else {
        CHECK(m.format_version == 1);
        CHECK_FALSE(m.content);
    }
    decode_backup_to_file(entry, {key_file_keys(dir / "k.key"), true}, dir / "restored.db");
    CHECK(test::read_text(dir / "restored.db") == test::read_text(reference.path));
    CHECK(verify_backup(entry, VerifyDepth::stored).ok);  // without the key: the stored file's hash
}

TEST_CASE("codec: an encrypted backup's manifest tells nothing about the plaintext beyond sizes") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 30});
    generate_key_file(dir / "k.key");
    const BackupResult plain = backup(dir.path(), {});
    CodecOptions codec;
    codec.zstd_level = 3;
    codec.encrypt = true;
    codec.keys = key_file_keys(dir / "k.key");
    const BackupResult sealed = backup(dir.path(), codec);
    const std::string text = test::read_text(sealed.manifest_path);
    CHECK_FALSE(sealed.manifest.database);
    CHECK(text.find("schema_version") == std::string::npos);
    CHECK(text.find("memories") == std::string::npos);
    CHECK(text.find("\"sha256\": \"" + plain.manifest.sha256) == std::string::npos);  // no plaintext hash
    CHECK(sealed.manifest.content->sha256.empty());
    CHECK(sealed.manifest.content->hmac_sha256.size() == 64);
    const std::string key_text = test::read_text(dir / "k.key");
    const std::string key_hex = key_text.substr(key_text.rfind(' ') + 1, 64);
    CHECK(text.find(key_hex) == std::string::npos);
    CHECK(test::read_text(dir / "repo" / "journal.jsonl").find(key_hex) == std::string::npos);
    CHECK(sealed.to_json().dump().find(key_hex) == std::string::npos);
    CHECK(parse_manifest(text, "m").to_json() == sealed.manifest.to_json());
}

TEST_CASE("codec: passphrase backups need the same passphrase to be verified deeply") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 50});
    CodecOptions codec;
    codec.encrypt = true;
    codec.scrypt = {10, 8, 1};  // cheap for tests; the default costs 128 MiB and a third of a second
    codec.keys.passphrase = [](bool) { return SecretBytes("correct horse battery", 21); };
    const BackupResult result = backup(dir.path(), codec);
    REQUIRE(result.manifest.encryption->kdf);
    CHECK(result.manifest.encryption->kdf->log2_n == 10);
    const std::vector<BackupEntry> entries = Repository::open(dir / "repo").scan();
    const BackupEntry& entry = entry_for(entries, result);
    CHECK(verify_backup(entry, VerifyDepth::deep, codec.keys).ok);
    KeyOptions wrong;
    wrong.passphrase = [](bool) { return SecretBytes("incorrect horse battery", 23); };
    const BackupVerification bad = verify_backup(entry, VerifyDepth::deep, wrong);
    CHECK_FALSE(bad.ok);
    CHECK_THAT(failing_detail(bad), Catch::Contains("decode") && Catch::Contains("wrong passphrase"));
    try {
        verify_backup(entry, VerifyDepth::deep, {});
        FAIL("a deep check without the key is a usage error");
    } catch (const Error& e) {
        CHECK(e.code_id() == ErrorCode::key_required);
        CHECK(e.exit_code() == 2);
    }

    SECTION("a short passphrase is refused before anything is written") {
        codec.keys.passphrase = [](bool) { return SecretBytes("short", 5); };
        CHECK_THROWS_WITH(backup(dir.path(), codec), Catch::Contains("shorter than 8"));
        CHECK(Repository::open(dir / "repo").scan().size() == 1);
    }
}

TEST_CASE("codec: --encrypt without any key fails before a snapshot is taken") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db");
    CodecOptions codec;
    codec.encrypt = true;
    try {
        backup(dir.path(), codec);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.exit_code() == 2);
        CHECK_THAT(e.what(), Catch::Contains("--key-file"));
    }
    CHECK(fs::is_empty(dir / "repo" / "db"));
}

TEST_CASE("codec: damaged or mismatched stored files are refused and decode leaves no file") {
    test::TempDir dir;
    test::create_sample_db(dir / "memory.db", {.memories = 2000});
    generate_key_file(dir / "k.key");
    generate_key_file(dir / "other.key");
    const bool encrypt = GENERATE(false, true);
    INFO((encrypt ? "zstd + encrypted" : "zstd"));
    CodecOptions codec;
    codec.zstd_level = 3;
    codec.encrypt = encrypt;
    codec.keys = key_file_keys(dir / "k.key");
    const BackupResult result = backup(dir.path(), codec);
    const std::vector<BackupEntry> entries = Repository::open(dir / "repo").scan();
    const BackupEntry& entry = entry_for(entries, result);
    auto decode_error = [&](const KeyOptions& keys) {
        try {
            decode_backup_to_file(entry, {keys, true}, dir / "out.db");
        } catch (const Error& e) {
            CHECK_FALSE(fs::exists(dir / "out.db"));
            CHECK_THAT(e.what(), Catch::Contains(entry.data_path.filename().string()));
            return e.code();
        }
        return std::string("no error");
    };
    SECTION("one flipped byte in the middle") {
        test::flip_byte(entry.data_path, result.manifest.size_bytes / 2);
        const BackupVerification v = verify_backup(entry, VerifyDepth::stored);
        CHECK_FALSE(v.ok);
        CHECK_THAT(failing_detail(v), Catch::Contains("sha256"));
        CHECK(decode_error(codec.keys) == (encrypt ? "tampered" : "corrupt"));
    }
    SECTION("truncated") {
        fs::resize_file(entry.data_path, result.manifest.size_bytes - 1);
        CHECK(decode_error(codec.keys) == "size_mismatch");
    }
    if (encrypt) {
        SECTION("the wrong key file") { CHECK(decode_error(key_file_keys(dir / "other.key")) == "wrong_key"); }
    }
}

TEST_CASE("codec: encode_file and decode_stored at the real chunk boundaries") {
    test::TempDir dir;
    generate_key_file(dir / "k.key");
    const std::size_t mib = std::size_t{1} << 20;
    const std::size_t size = GENERATE_COPY(std::size_t{0}, std::size_t{1}, mib - 1, mib, mib + 1, 2 * mib);
    const bool compress = GENERATE(false, true);
    INFO(size << " bytes, " << (compress ? "zstd + " : "") << "encrypted");
    const std::string plain = test::noise(size, size + 1);
    test::write_text(dir / "plain", plain);
    CodecOptions codec;
    if (compress) codec.zstd_level = 1;
    codec.encrypt = true;
    codec.keys = key_file_keys(dir / "k.key");
    const EncodedStream encoded = encode_file(dir / "plain", dir / "stored", Encoding::resolve(codec));
    CHECK(encoded.content.size_bytes == size);
    CHECK(encoded.stored.size_bytes == fs::file_size(dir / "stored"));
    if (!compress) {
        const std::size_t chunks = size == 0 ? 1 : (size + mib - 1) / mib;
        CHECK(encoded.stored.size_bytes == encryption_header_bytes + size + chunks * gcm_tag_bytes);
    }
    Manifest manifest;
    record_encoding(manifest, encoded);
    test::StringSink out;
    const DecodeReport report = decode_stored(dir / "stored", layout_of(manifest), {codec.keys, true}, out);
    CHECK(out.bytes == plain);
    CHECK(out.finished);
    CHECK(report.content_check == "hmac_sha256");
    CHECK(report.output_bytes == size);
}
