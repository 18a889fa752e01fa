// Shared by the platform/*_win32.cpp files only: HANDLEs kept in the headers' intptr_t handles, Win32 errors.
#pragma once

#include "base/error.hpp"

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <windows.h>

namespace soniabk::platform::detail {

inline HANDLE h(intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

// Maps the Win32 error of the last call onto the errno soniabk's messages are built from.
inline int last_errno() {
    switch (::GetLastError()) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND: return ENOENT;
        case ERROR_ACCESS_DENIED: return EACCES;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS: return EEXIST;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL: return ENOSPC;
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION: return EBUSY;
        default: return EIO;
    }
}

// CreateFileW sharing read, write and delete, as POSIX descriptors do; throws io_error("what") naming `path`.
inline intptr_t open_or_throw(const std::filesystem::path& path, DWORD access, DWORD disposition, DWORD flags,
                              const char* what) {
    const HANDLE handle = ::CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                        nullptr, disposition, flags, nullptr);
    if (handle == INVALID_HANDLE_VALUE) throw io_error(what, path, last_errno());
    return reinterpret_cast<intptr_t>(handle);
}

}  // namespace soniabk::platform::detail
