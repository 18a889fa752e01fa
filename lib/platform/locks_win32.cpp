#include "platform/locks.hpp"

#include "platform/handles_win32.hpp"

#include <windows.h>

namespace soniabk::platform {

using detail::h;
using detail::open_or_throw;

std::optional<FileLock> FileLock::try_acquire(const fs::path& path, LockMode mode) {
    const intptr_t handle = open_or_throw(path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                                          "open lock file");
    OVERLAPPED at{};
    const DWORD flags = LOCKFILE_FAIL_IMMEDIATELY | (mode == LockMode::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
    if (!::LockFileEx(h(handle), flags, 0, 1, 0, &at)) {
        ::CloseHandle(h(handle));
        return std::nullopt;
    }
    return FileLock(path, handle);
}

FileLock::FileLock(FileLock&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

FileLock::~FileLock() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

void FileLock::describe_holder(const std::string&) {}

std::optional<RangeLockHolder> range_lock_holder(const fs::path& path, std::uint64_t start, std::uint64_t length) {
    const HANDLE file = ::CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return std::nullopt;
    // Windows cannot list another process's byte-range locks: try to take the range, and give it back at once.
    OVERLAPPED at{};
    at.Offset = static_cast<DWORD>(start);
    at.OffsetHigh = static_cast<DWORD>(start >> 32);
    const DWORD low = static_cast<DWORD>(length);
    const DWORD high = static_cast<DWORD>(length >> 32);
    const bool taken = ::LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, low, high, &at);
    const bool conflict = !taken && ::GetLastError() == ERROR_LOCK_VIOLATION;
    if (taken) ::UnlockFileEx(file, 0, low, high, &at);
    ::CloseHandle(file);
    if (!conflict) return std::nullopt;
    return RangeLockHolder{};
}

}  // namespace soniabk::platform
