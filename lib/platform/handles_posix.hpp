// Shared by the platform/*_posix.cpp files only: file descriptors kept in the headers' intptr_t handles.
#pragma once

#include "base/error.hpp"

#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>

namespace soniabk::platform::detail {

inline int fd_of(intptr_t handle) { return static_cast<int>(handle); }

// open(2), retried on EINTR, close-on-exec; throws io_error("what") naming `path`.
inline int open_or_throw(const std::filesystem::path& path, int flags, mode_t mode, const char* what) {
    int fd;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) throw io_error(what, path, errno);
    return fd;
}

}  // namespace soniabk::platform::detail
