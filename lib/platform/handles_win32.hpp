// Shared by the platform/*_win32.cpp files only: HANDLEs kept in the headers' intptr_t handles, Win32 errors.
#pragma once

#include "base/error.hpp"

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <string>
#include <windows.h>

namespace soniabk::platform::detail {

inline HANDLE h(intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

// Maps a Win32 error onto the errno soniabk's messages are built from.
inline int errno_of_win32(DWORD error) {
    switch (error) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND: return ENOENT;
        case ERROR_ACCESS_DENIED: return EACCES;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS: return EEXIST;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL: return ENOSPC;
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION: return EBUSY;
        case ERROR_WRITE_PROTECT: return EROFS;
        case ERROR_DIR_NOT_EMPTY: return ENOTEMPTY;
        case ERROR_INVALID_NAME:
        case ERROR_BAD_PATHNAME: return EINVAL;
        case ERROR_NOT_ENOUGH_MEMORY:
        case ERROR_OUTOFMEMORY: return ENOMEM;
        default: return EIO;
    }
}

// The errno of the last failed Win32 call.
inline int last_errno() { return errno_of_win32(::GetLastError()); }

// The name Win32 calls take: past MAX_PATH, the absolute form with the \\?\ (or \\?\UNC\) prefix that lifts the limit.
inline std::wstring win32_path(const std::filesystem::path& path) {
    constexpr std::size_t short_enough = 240;  // MAX_PATH less room for a file name CreateDirectory may add
    std::wstring name = path.wstring();
    if (name.size() < short_enough || name.rfind(L"\\\\?\\", 0) == 0) return name;
    std::error_code ignored;
    name = std::filesystem::absolute(path, ignored).lexically_normal().make_preferred().wstring();
    if (name.rfind(L"\\\\", 0) == 0) return L"\\\\?\\UNC\\" + name.substr(2);
    return L"\\\\?\\" + name;
}

// CreateFileW sharing read, write and delete, as POSIX descriptors do; throws io_error("what") naming `path`.
inline intptr_t open_or_throw(const std::filesystem::path& path, DWORD access, DWORD disposition, DWORD flags,
                              const char* what, SECURITY_ATTRIBUTES* security = nullptr) {
    const HANDLE handle = ::CreateFileW(win32_path(path).c_str(), access,
                                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, security, disposition,
                                        flags, nullptr);
    if (handle == INVALID_HANDLE_VALUE) throw io_error(what, path, last_errno());
    return reinterpret_cast<intptr_t>(handle);
}

}  // namespace soniabk::platform::detail
