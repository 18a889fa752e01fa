// Locks between processes: the advisory FileLock soniabk takes, and a probe for byte-range locks of others.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace soniabk::platform {

namespace fs = std::filesystem;

// An advisory lock on a file, released on destruction (flock / LockFileEx).
enum class LockMode { shared, exclusive };

class FileLock {
public:
    // Returns no lock when another process holds it.
    static std::optional<FileLock> try_acquire(const fs::path& path, LockMode mode);
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&&) = delete;
    ~FileLock();
    // Replaces the lock file's content (who holds it) without releasing the lock.
    void describe_holder(const std::string& text);

private:
    FileLock(fs::path path, intptr_t handle) : path_(std::move(path)), handle_(handle) {}
    fs::path path_;
    intptr_t handle_;
};

struct RangeLockHolder {
    std::optional<int> pid;  // none where the system does not say which process (Windows)
};

// The process holding a lock on bytes [start, start + length) of `path` that an exclusive lock there would
// conflict with, or nothing (also when `path` cannot be opened). POSIX asks without locking (F_GETLK);
// Windows takes the range for an instant (LockFileEx) and releases it. Call only while this process holds
// no lock on the file itself: closing the probe's descriptor drops this process's own POSIX locks on it.
std::optional<RangeLockHolder> range_lock_holder(const fs::path& path, std::uint64_t start, std::uint64_t length);

}  // namespace soniabk::platform
