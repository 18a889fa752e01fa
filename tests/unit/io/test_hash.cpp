#include "io/hash.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace soniabk;

TEST_CASE("hash: SHA-256 matches known vectors") {
    SECTION("empty input") {
        Sha256 sha;
        CHECK(sha.hex_digest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
    SECTION("'abc' fed in pieces equals 'abc' at once") {
        Sha256 sha;
        sha.update("a", 1);
        sha.update("bc", 2);
        CHECK(sha.hex_digest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

TEST_CASE("hash: files are hashed in chunks") {
    test::TempDir dir;
    SECTION("a file larger than one chunk") {
        const std::string content(stream_chunk_bytes * 2 + 17, 'x');
        test::write_text(dir / "big", content);
        Sha256 sha;
        sha.update(content.data(), content.size());
        const FileDigest digest = hash_file(dir / "big");
        CHECK(digest.size_bytes == content.size());
        CHECK(digest.sha256 == sha.hex_digest());
    }
    SECTION("a missing file is an error naming it") {
        CHECK_THROWS_WITH(hash_file(dir / "missing"), Catch::Contains("missing"));
    }
}
