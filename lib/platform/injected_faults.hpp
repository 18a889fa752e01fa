// Shared by the platform/*_posix.cpp and *_win32.cpp files only: the fault seam (base/fault.hpp) of every I/O call,
// so a test's injected EIO, ENOSPC or EACCES reads the same on both platforms.
#pragma once

#include "base/error.hpp"
#include "base/fault.hpp"

#include <cerrno>
#include <filesystem>
#include <string>
#include <string_view>

namespace soniabk::platform::detail {

inline int errno_for(fault::IoFault fault) {
    switch (fault) {
        case fault::IoFault::no_space:
        case fault::IoFault::short_write: return ENOSPC;
        case fault::IoFault::access_denied: return EACCES;
        default: return EIO;
    }
}

// Throws what the call `op` would throw had it failed for real, when a test injected a fault there.
inline void fail_if_injected(std::string_view op, const std::string& what, const std::filesystem::path& path) {
    if (const auto fault = fault::io_call(op); fault != fault::IoFault::none) throw io_error(what, path, errno_for(fault));
}

}  // namespace soniabk::platform::detail
