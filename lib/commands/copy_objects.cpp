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

bool matches(const FileDigest& got, const FileDigest& expected) {
    return got.sha256 == expected.sha256 && got.size_bytes == expected.size_bytes;
}

}  // namespace

FileDigest digest_of(std::string_view bytes) { return {sha256_hex(bytes), bytes.size()}; }

void ObjectCopier::copy(const std::string& key, const FileDigest& expected) {
    interrupt::check();
    if (present(key)) {
        check_arrival(key, expected, Side::present);  // a copy killed after publishing, or one copied before
        ++counts_.objects_present;
        return;
    }
    write(key, expected);
    // A server that checks each upload against its hashes stored what was sent: no download to prove it.
    if (!to_.has(storage::Capability::checked_uploads)) check_arrival(key, expected, Side::written);
}

void ObjectCopier::copy_bytes(const std::string& key, std::string_view bytes) { copy(key, digest_of(bytes)); }

void ObjectCopier::write(const std::string& key, const FileDigest& expected) {
    const auto reader = from_.open(key);
    const auto object = to_.create(key, storage::Overwrite::never);
    object->set_sha256(expected.sha256);  // known before the first byte: it goes up with the upload itself
    ThrottledSink throttled(object->sink(), throttle_);
    DigestSink sent(&throttled);
    Advancing advancing(sent, progress_, counts_.bytes_copied);
    pump(*reader, advancing);
    advancing.finish();
    // Bytes that are not what the source's backup says it holds are never published: nothing wrong arrives.
    if (!matches(sent.digest(), expected)) throw mismatch(key, Side::source, sent.digest(), expected);
    object->publish();
    counts_.bytes_copied += sent.digest().size_bytes;
    ++counts_.objects_copied;
}

void ObjectCopier::check_arrival(const std::string& key, const FileDigest& expected, Side side) {
    const auto reader = to_.open(key);
    const FileDigest got = hash_stream(*reader, reader->size());
    if (matches(got, expected)) return;
    if (side == Side::written) to_.remove(key);  // ours and wrong: nothing is left that could pass for a copy
    throw mismatch(key, side, got, expected);
}

Error ObjectCopier::mismatch(const std::string& key, Side side, const FileDigest& got, const FileDigest& expected) const {
    const std::string source = from_.location(key).string();
    const std::string destination = to_.location(key).string();
    const std::string what = side == Side::source    ? fmt::format("{}: does not hold what its backup says", source)
                             : side == Side::written ? fmt::format("{}: the copy does not match what {} should hold", destination, source)
                                                     : fmt::format("{}: already there but not what {} should hold", destination, source);
    return runtime_error(ErrorCode::copy_mismatch,
                         fmt::format("{} (read {} bytes, sha256 {}; expected {} bytes, sha256 {})", what, got.size_bytes,
                                     got.sha256, expected.size_bytes, expected.sha256),
                         side == Side::source ? from_.location(key) : to_.location(key));
}

}  // namespace soniabk
