#include "byte_sinks.hpp"
#include "base/error.hpp"
#include "io/stream.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

// Takes `limit` bytes, then fails like a full disk would.
class FailingSink final : public ByteSink {
public:
    explicit FailingSink(std::size_t limit) : limit_(limit) {}
    void write(const void*, std::size_t size) override {
        taken += size;
        if (taken > limit_) throw runtime_error(ErrorCode::disk_full, "sink: no space left");
    }
    void finish() override { finished = true; }

    std::size_t taken = 0;
    bool finished = false;

private:
    std::size_t limit_;
};

}  // namespace

TEST_CASE("stream: ThreadedSink hands every byte over in order and finishes the next sink") {
    const std::size_t size = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{1} << 20, (std::size_t{5} << 20) + 3);
    const std::string bytes = test::noise(size);
    test::StringSink out;
    {
        ThreadedSink threaded(out);
        test::feed(threaded, bytes, 65536 + 7);
    }
    CHECK(out.finished);
    CHECK(out.bytes == bytes);
}

TEST_CASE("stream: ThreadedSink rethrows the worker's failure and never finishes the next sink") {
    const std::string bytes = test::noise(std::size_t{12} << 20);
    FailingSink out(std::size_t{3} << 20);
    ThreadedSink threaded(out);
    CHECK_THROWS_WITH(test::feed(threaded, bytes, 65536), Catch::Contains("no space left"));
    CHECK_FALSE(out.finished);
    CHECK(out.taken < bytes.size());  // it stopped early instead of consuming the rest
}

TEST_CASE("stream: an abandoned ThreadedSink stops its worker without finishing") {
    test::StringSink out;
    {
        ThreadedSink threaded(out);
        const std::string bytes = test::noise(std::size_t{3} << 20);
        threaded.write(bytes.data(), bytes.size());
    }  // destroyed mid-stream, as when the stage before it throws
    CHECK_FALSE(out.finished);
}

TEST_CASE("stream: write_new_file keeps a finished file and removes a failed one") {
    test::TempDir dir;
    const auto good = dir / "good";
    const auto bad = dir / "bad";

    CHECK(write_new_file(good, [](ByteSink& sink) {
              sink.write("abc", 3);
              return 3;
          }) == 3);
    CHECK(std::filesystem::file_size(good) == 3);
    CHECK_THROWS(write_new_file(good, [](ByteSink&) { return 0; }));  // never overwrites
    CHECK(std::filesystem::file_size(good) == 3);

    CHECK_THROWS_WITH(write_new_file(bad,
                                     [](ByteSink& sink) -> int {
                                         sink.write("partial", 7);
                                         throw runtime_error(ErrorCode::tampered, "bad: chunk 2 failed authentication");
                                     }),
                      Catch::Contains("chunk 2"));
    CHECK_FALSE(std::filesystem::exists(bad));
}
