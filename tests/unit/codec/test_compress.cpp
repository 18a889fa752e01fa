#include "byte_sinks.hpp"
#include "codec/compress.hpp"
#include "base/error.hpp"

#include <catch2/catch.hpp>

#include <zstd.h>

using namespace soniabk;

namespace {

std::string compress(const std::string& plain, ZstdSettings settings = {}) {
    test::StringSink out;
    ZstdCompressSink sink(out, settings);
    test::feed(sink, plain, 100003);
    REQUIRE(out.finished);
    return out.bytes;
}

std::string decompress(const std::string& stored, std::size_t piece = 4093) {
    test::StringSink out;
    ZstdDecompressSink sink(out, "f.zst");
    test::feed(sink, stored, piece);
    REQUIRE(out.finished);
    return out.bytes;
}

// Text that compresses well, with some noise in it: roughly what a memory database holds.
std::string database_like(std::size_t size) {
    std::string out;
    for (int i = 0; out.size() < size; ++i) {
        out += "{\"memory\":" + std::to_string(i) + ",\"text\":\"the user likes green tea in the morning\"}";
        if (i % 10 == 0) out += test::noise(64, static_cast<std::uint64_t>(i) + 1);
    }
    out.resize(size);
    return out;
}

}  // namespace

TEST_CASE("compress: --compress values") {
    CHECK(parse_compress_spec("zstd") == 3);
    CHECK(parse_compress_spec("zstd:1") == 1);
    CHECK(parse_compress_spec("zstd:19") == 19);
    for (const char* bad : {"zstd:0", "zstd:20", "zstd:", "zstd:3x", "gzip", "zstd3", ""}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_compress_spec(bad), Error);
    }
}

TEST_CASE("compress: round trips, multi-threaded or not, whatever the size") {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{5000}, std::size_t{3} << 20}) {
        const std::string plain = database_like(size);
        for (int workers : {1, 2}) {
            INFO(size << " bytes, " << workers << " workers");
            const std::string stored = compress(plain, {3, workers, size});
            CHECK(decompress(stored) == plain);
            CHECK(ZSTD_getFrameContentSize(stored.data(), stored.size()) == size);  // the pledged size is recorded
            if (size > 5000) CHECK(stored.size() < plain.size() / 2);
        }
    }
}

TEST_CASE("compress: the level reaches zstd (the frames differ) and decodes the same") {
    const std::string plain = database_like(1 << 20);
    const std::string fast = compress(plain, {1, 1, {}});
    const std::string strong = compress(plain, {9, 1, {}});
    CHECK(fast != strong);
    CHECK(decompress(strong) == plain);
}

TEST_CASE("compress: output that fills zstd's buffer exactly as the frame ends is complete (regression)") {
    // 3 MiB decode into whole 128 KiB output buffers: the last call ends the frame with its buffer full.
    const std::string plain = database_like(std::size_t{3} << 20);
    CHECK(decompress(compress(plain, {3, 1, {}}), 1 << 20) == plain);
}

TEST_CASE("compress: truncated or damaged streams are refused naming the file") {
    const std::string stored = compress(database_like(200000));
    SECTION("truncated anywhere") {
        for (std::size_t length : {std::size_t{0}, std::size_t{3}, stored.size() / 2, stored.size() - 1}) {
            INFO("truncated to " << length);
            CHECK_THROWS_WITH(decompress(stored.substr(0, length)), Catch::Contains("f.zst") && Catch::Contains("truncated"));
        }
    }
    SECTION("a flipped byte is caught (by zstd's own checks or its content checksum)") {
        for (std::size_t at : {std::size_t{0}, std::size_t{6}, stored.size() / 3, stored.size() - 2}) {
            std::string damaged = stored;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
            INFO("byte " << at);
            CHECK_THROWS_AS(decompress(damaged), Error);
        }
    }
}
