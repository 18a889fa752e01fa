// One object at a time from one storage into another: never over an existing object, throttled, hashed on the
// way, and checked as read back from the destination unless its server checks uploads itself (commands/copy.cpp
// decides what and in which order).
#pragma once

#include "base/error.hpp"
#include "base/progress.hpp"
#include "io/hash.hpp"
#include "io/throttle.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace soniabk {

struct CopyCounts {
    std::uint64_t bytes_copied = 0;
    std::uint64_t objects_copied = 0;
    std::uint64_t objects_present = 0;  // at the destination already, with the expected digest
};

class ObjectCopier {
public:
    ObjectCopier(const storage::Storage& from, storage::Storage& to, std::uint64_t bwlimit, Progress& progress)
        : from_(from), to_(to), throttle_(bwlimit), progress_(progress) {}

    // Streams `key` unless the destination has it already; either way the destination's bytes must hash
    // to `expected` (`copy_mismatch` otherwise: source bytes that do not are never published, and an object
    // this call wrote that reads back wrong is removed again).
    void copy(const std::string& key, const FileDigest& expected);
    // The same for a small object whose expected content is `bytes` (read from the source beforehand).
    void copy_bytes(const std::string& key, std::string_view bytes);
    bool present(const std::string& key) const { return to_.stat(key).has_value(); }
    const CopyCounts& counts() const { return counts_; }

private:
    // Whose bytes a mismatch is about: the source's as read, or the destination's, written by this call or there before.
    enum class Side { source, written, present };

    void write(const std::string& key, const FileDigest& expected);
    void check_arrival(const std::string& key, const FileDigest& expected, Side side);
    Error mismatch(const std::string& key, Side side, const FileDigest& got, const FileDigest& expected) const;

    const storage::Storage& from_;
    storage::Storage& to_;
    Throttle throttle_;
    Progress& progress_;
    CopyCounts counts_;
};

FileDigest digest_of(std::string_view bytes);

}  // namespace soniabk
