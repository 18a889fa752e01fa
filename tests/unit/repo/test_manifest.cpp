#include "base/error.hpp"
#include "storage/local_storage.hpp"
#include "repo/manifest.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

Manifest sample_manifest() {
    Manifest m;
    m.backup_id = "bkp_20261126T003000Z_abcdef";
    m.kind = "db";
    m.label = "daily";
    m.created_at = *parse_iso8601("2026-11-26T00:30:00.250Z");
    m.source = "/var/lib/sonia/memory.db";
    m.method = "backup";
    m.file = "memory-20261126-003000.db";
    m.size_bytes = 4096;
    m.sha256 = std::string(64, 'a');
    m.duration_seconds = 1.5;
    m.tool_version = "0.1.0";
    m.database = DatabaseInfo{"3.40.1", 4096, 1, "wal", 7, Json{{"version", 2}}, MemoryCounts{10, 1}};
    m.check = CheckRecord{"quick", "ok"};
    return m;
}

std::string manifest_error(const std::string& text) {
    try {
        parse_manifest(text, "m.json");
    } catch (const Error& e) {
        CHECK(e.code() == "manifest_invalid");
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("manifest: round trip through JSON") {
    const Manifest m = sample_manifest();
    const Manifest back = parse_manifest(m.to_json().dump(), "m.json");
    CHECK(back.backup_id == m.backup_id);
    CHECK(back.created_at == m.created_at);
    CHECK(back.size_bytes == 4096);
    CHECK(back.sha256 == m.sha256);
    REQUIRE(back.database);
    CHECK(back.database->memories->total == 10);
    CHECK(back.database->memories->archived == 1);
    CHECK(back.database->schema_version == Json{{"version", 2}});
    CHECK(back.database->user_version == 7);
    CHECK(back.check->result == "ok");
    CHECK(back.to_json() == m.to_json());
}

TEST_CASE("manifest: damaged or hand-edited manifests are refused with the file named") {
    const std::string good = sample_manifest().to_json().dump();
    SECTION("truncated") { CHECK_THAT(manifest_error(good.substr(0, good.size() / 2)), Catch::Contains("m.json") && Catch::Contains("not valid JSON")); }
    SECTION("empty") { CHECK_THAT(manifest_error(""), Catch::Contains("not valid JSON")); }
    SECTION("missing field") {
        Json j = sample_manifest().to_json();
        j.erase("sha256");
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("missing field 'sha256'"));
    }
    SECTION("wrong type") {
        Json j = sample_manifest().to_json();
        j["size_bytes"] = "big";
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("'size_bytes' has the wrong type"));
    }
    SECTION("sha256 not hex") {
        Json j = sample_manifest().to_json();
        j["sha256"] = "xyz";
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("sha256"));
    }
    SECTION("file that escapes the repository") {
        Json j = sample_manifest().to_json();
        j["file"] = "../../etc/passwd";
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("not a plain file name"));
    }
    SECTION("unknown kind") {
        Json j = sample_manifest().to_json();
        j["kind"] = "video";
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("unknown kind"));
    }
    SECTION("newer format") {
        Json j = sample_manifest().to_json();
        j["format_version"] = 99;
        CHECK_THAT(manifest_error(j.dump()), Catch::Contains("newer"));
    }
    SECTION("some other JSON document") { CHECK_THAT(manifest_error("{\"hello\":1}"), Catch::Contains("not a soniabk manifest")); }
}

TEST_CASE("manifest: published beside its data file, never over another") {
    test::TempDir dir;
    const auto path = manifest_path_for(dir / "memory-20261126-003000.db");
    CHECK(path.filename() == "memory-20261126-003000.db.manifest.json");
    storage::LocalStorage store(dir.path());
    CHECK(write_manifest(store, "memory-20261126-003000.db", sample_manifest()) == "memory-20261126-003000.db.manifest.json");
    CHECK(read_manifest(path).backup_id == "bkp_20261126T003000Z_abcdef");
    CHECK_THROWS_WITH(read_manifest(dir / "nope.manifest.json"), Catch::Contains("nope.manifest.json"));
    CHECK_THROWS_WITH(write_manifest(store, "memory-20261126-003000.db", sample_manifest()), Catch::Contains("already exists"));
}

TEST_CASE("manifest: a format field of the wrong type is refused like any foreign file (fuzzer finding)") {
    // The input libFuzzer found: `format` a number made the JSON library's own type error escape.
    const std::string input = "{\n  \"format\": 1,\n  \"backup_id\": \"((((((((((((e\"}\n";
    try {
        parse_manifest(input, "found.manifest.json");
        FAIL("accepted");
    } catch (const Error& e) {
        CHECK(e.code() == "manifest_invalid");
        CHECK_THAT(e.what(), Catch::Contains("found.manifest.json") && Catch::Contains("not a soniabk manifest"));
    }
}
