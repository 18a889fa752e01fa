#include "platform/locks.hpp"

#include "platform/handles_win32.hpp"

#include <windows.h>

namespace soniabk::platform {

using detail::h;
using detail::open_or_throw;

namespace {

// The lock is a byte far past the end of the file: Windows locks are mandatory, and one on the file's first
// bytes would keep other processes from reading the holder's description written there.
constexpr DWORD lock_offset_high = 0x40000000;

}  // namespace

std::optional<FileLock> FileLock::try_acquire(const fs::path& path, LockMode mode) {
    const intptr_t handle = open_or_throw(path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                                          "open lock file");
    OVERLAPPED at{};
    at.OffsetHigh = lock_offset_high;
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

void FileLock::describe_holder(const std::string& text) {
    const HANDLE file = h(handle_);
    LARGE_INTEGER start{};
    // The description is a courtesy; the lock is what counts.
    if (!::SetFilePointerEx(file, start, nullptr, FILE_BEGIN) || !::SetEndOfFile(file)) return;
    DWORD written = 0;
    ::WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
}

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
    if (taken) ::UnlockFileEx(file, 0, low, high, &at);
    ::CloseHandle(file);
    if (taken) return std::nullopt;
    return RangeLockHolder{};  // no pid: Windows does not say who holds a lock
}

}  // namespace soniabk::platform
