// One object at a time from one storage into another: never over an existing object, throttled, and
// checked as read back from the destination (commands/copy.cpp decides what and in which order).
#pragma once

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
    // to `expected` (`copy_mismatch` otherwise, and an object this call wrote is removed again).
    void copy(const std::string& key, const FileDigest& expected);
    // The same for a small object whose expected content is `bytes` (read from the source beforehand).
    void copy_bytes(const std::string& key, std::string_view bytes);
    bool present(const std::string& key) const { return to_.stat(key).has_value(); }
    const CopyCounts& counts() const { return counts_; }

private:
    void write(const std::string& key);
    void check_arrival(const std::string& key, const FileDigest& expected, bool written);

    const storage::Storage& from_;
    storage::Storage& to_;
    Throttle throttle_;
    Progress& progress_;
    CopyCounts counts_;
};

FileDigest digest_of(std::string_view bytes);

}  // namespace soniabk
