// The one error type soniabk throws: a category that decides the exit code, a stable code, a path.
#pragma once

#include "base/error_codes.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace soniabk {

// Exit status of the CLI for each category (documented in docs/JSON.md).
enum class ErrorCategory {
    check_failed = 1,  // a verification or drill check did not pass
    usage = 2,         // bad arguments or configuration
    runtime = 3,       // I/O, locked, unreachable, corrupt input
};

class Error : public std::runtime_error {
public:
    Error(ErrorCategory category, ErrorCode code, std::string message, std::filesystem::path path = {});

    ErrorCategory category() const noexcept { return category_; }
    int exit_code() const noexcept { return static_cast<int>(category_); }
    ErrorCode code_id() const noexcept { return code_; }
    std::string code() const { return std::string(to_string(code_)); }
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    ErrorCategory category_;
    ErrorCode code_;
    std::filesystem::path path_;
};

Error usage_error(std::string message);
Error runtime_error(ErrorCode code, std::string message, std::filesystem::path path = {});
Error check_failed(ErrorCode code, std::string message, std::filesystem::path path = {});

// An I/O failure of `what` on `path`, with the errno text; ENOSPC becomes code "disk_full".
Error io_error(const std::string& what, const std::filesystem::path& path, int errno_value);

}  // namespace soniabk
