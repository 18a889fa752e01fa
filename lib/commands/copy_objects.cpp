#include "commands/copy_objects.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// Tells `progress` the run's bytes so far, not this object's.
class Advancing final : public ByteSink {
public:
    Advancing(ByteSink& next, Progress& progress, std::uint64_t base) : next_(next), progress_(progress), done_(base) {}
    void write(const void* data, std::size_t size) override {
        next_.write(data, size);
        progress_.advance(done_ += size);
    }
    void finish() override { next_.finish(); }

private:
    ByteSink& next_;
    Progress& progress_;
    std::uint64_t done_;
};

}  // namespace

FileDigest digest_of(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes.data(), bytes.size());
    return {sha.hex_digest(), bytes.size()};
}

void ObjectCopier::copy(const std::string& key, const FileDigest& expected) {
    interrupt::check();
    if (present(key)) {
        check_arrival(key, expected, false);  // a copy killed after publishing, or one copied before
        ++counts_.objects_present;
        return;
    }
    write(key);
    check_arrival(key, expected, true);
}

void ObjectCopier::copy_bytes(const std::string& key, std::string_view bytes) { copy(key, digest_of(bytes)); }

void ObjectCopier::write(const std::string& key) {
    const auto reader = from_.open(key);
    const auto object = to_.create(key, storage::Overwrite::never);
    CountingSink counted(&object->sink());
    ThrottledSink throttled(counted, throttle_);
    const std::uint64_t before = counts_.bytes_copied;
    Advancing advancing(throttled, progress_, before);
    pump(*reader, advancing);
    advancing.finish();
    object->publish();
    counts_.bytes_copied += counted.bytes();
    ++counts_.objects_copied;
}

void ObjectCopier::check_arrival(const std::string& key, const FileDigest& expected, bool written) {
    const auto reader = to_.open(key);
    const FileDigest got = hash_stream(*reader, reader->size());
    if (got.sha256 == expected.sha256 && got.size_bytes == expected.size_bytes) return;
    if (written) to_.remove(key);  // ours and wrong: nothing is left that could pass for a copy
    throw runtime_error(ErrorCode::copy_mismatch,
                        fmt::format("{}: {} what {} should hold (read back {} bytes, sha256 {}; expected {} bytes, sha256 {})",
                                    to_.location(key).string(), written ? "the copy does not match" : "already there but not",
                                    from_.location(key).string(), got.size_bytes, got.sha256, expected.size_bytes,
                                    expected.sha256),
                        to_.location(key));
}

}  // namespace soniabk
