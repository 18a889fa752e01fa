// Errors the standard library reports as std::error_code, as the errno soniabk's messages and codes are built from.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <system_error>

namespace soniabk::platform {

// The errno of `ec`: itself on POSIX; on Windows a Win32 error mapped (a sharing violation is EBUSY, so a file
// another process holds reads as "in use", not as some unrelated errno with the same number).
int errno_of(const std::error_code& ec);

// `target_in_use`: another process has `path` open, so Windows will neither remove nor replace it.
Error in_use_error(const std::filesystem::path& path);

}  // namespace soniabk::platform
