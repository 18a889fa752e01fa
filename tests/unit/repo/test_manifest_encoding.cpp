#include "base/error.hpp"
#include "repo/manifest.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

Manifest encrypted_manifest() {
    Manifest m;
    m.format_version = manifest_encoded_format_version;
    m.backup_id = "bkp_20261126T003000Z_abcdef";
    m.kind = "db";
    m.label = "daily";
    m.created_at = *parse_iso8601("2026-11-26T00:30:00Z");
    m.source = "/var/lib/sonia/memory.db";
    m.method = "backup";
    m.file = "memory-20261126-003000.db.zst.enc";
    m.size_bytes = 1000;
    m.sha256 = std::string(64, 'a');
    m.tool_version = "0.1.0";
    m.check = CheckRecord{"quick", "ok"};
    m.content = ContentInfo{4096, {}, std::string(64, 'b')};
    m.compression = CompressionInfo{"zstd", 3};
    m.encryption = EncryptionInfo{"aes-256-gcm", 1, 1 << 20, "passphrase", KdfInfo{"scrypt", 17, 8, 1}};
    return m;
}

std::string manifest_json_error(const Json& j) {
    try {
        parse_manifest(j.dump(), "m.json");
    } catch (const Error& e) {
        CHECK(e.code() == "manifest_invalid");
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("manifest encoding: content, compression and encryption round-trip") {
    const Manifest m = encrypted_manifest();
    const Manifest back = parse_manifest(m.to_json().dump(), "m.json");
    CHECK(back.to_json() == m.to_json());
    CHECK(back.is_encoded());
    CHECK(back.content->hmac_sha256 == std::string(64, 'b'));
    CHECK(back.encryption->kdf->log2_n == 17);
    CHECK(back.encryption->chunk_bytes == 1u << 20);
}

TEST_CASE("manifest encoding: inconsistent or foreign encodings are refused") {
    const Json good = encrypted_manifest().to_json();
    auto edited = [&](auto&& change) {
        Json j = good;
        change(j);
        return manifest_json_error(j);
    };
    CHECK_THAT(edited([](Json& j) { j["format_version"] = 1; }), Catch::Contains("format_version 2"));
    CHECK_THAT(edited([](Json& j) { j.erase("content"); }), Catch::Contains("come together"));
    CHECK_THAT(edited([](Json& j) { j["content"]["sha256"] = std::string(64, 'c'); }), Catch::Contains("no content.sha256"));
    CHECK_THAT(edited([](Json& j) { j["content"].erase("hmac_sha256"); }), Catch::Contains("hmac_sha256"));
    CHECK_THAT(edited([](Json& j) { j["compression"]["algorithm"] = "lz4"; }), Catch::Contains("unknown compression"));
    CHECK_THAT(edited([](Json& j) { j["encryption"]["algorithm"] = "rot13"; }), Catch::Contains("unknown encryption"));
    CHECK_THAT(edited([](Json& j) { j["encryption"]["chunk_bytes"] = 1000; }), Catch::Contains("chunk_bytes"));
    CHECK_THAT(edited([](Json& j) { j["encryption"]["kdf"] = nullptr; }), Catch::Contains("kdf"));
    CHECK_THAT(edited([](Json& j) { j["encryption"]["key_source"] = "vault"; }), Catch::Contains("key_source"));
    CHECK_THAT(edited([](Json& j) { j["encryption"].erase("format_version"); }), Catch::Contains("encryption.format_version"));
    CHECK_THAT(edited([](Json& j) { j["content"]["size_bytes"] = "big"; }), Catch::Contains("content.size_bytes"));
    CHECK_THAT(edited([](Json& j) {
                   j.erase("encryption");
                   j["content"] = {{"size_bytes", 4096}};
               }),
               Catch::Contains("need content.sha256"));
}

TEST_CASE("manifest encoding: plain manifests stay format 1, readable by older soniabk") {
    Manifest m = encrypted_manifest();
    m.format_version = 1;
    m.content.reset();
    m.compression.reset();
    m.encryption.reset();
    const Json j = m.to_json();
    CHECK(j["format_version"] == 1);
    CHECK_FALSE(j.contains("content"));
    CHECK_FALSE(j.contains("encryption"));
    CHECK_FALSE(parse_manifest(j.dump(), "m.json").is_encoded());
}
