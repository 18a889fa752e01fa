#include "base/error.hpp"

#include <cerrno>
#include <cstring>

namespace soniabk {

namespace {

constexpr ErrorCode every_code[] = {
#define SONIABK_ERROR_CODE_VALUE(name) ErrorCode::name,
    SONIABK_ERROR_CODES(SONIABK_ERROR_CODE_VALUE)
#undef SONIABK_ERROR_CODE_VALUE
};

// Over quota is a full disk for the operator; Windows (mingw) has no EDQUOT.
constexpr bool is_quota_errno(int errno_value) {
#ifdef EDQUOT
    return errno_value == EDQUOT;
#else
    (void)errno_value;
    return false;
#endif
}

}  // namespace

std::string_view to_string(ErrorCode code) {
    switch (code) {
#define SONIABK_ERROR_CODE_NAME(name) \
    case ErrorCode::name: return #name;
        SONIABK_ERROR_CODES(SONIABK_ERROR_CODE_NAME)
#undef SONIABK_ERROR_CODE_NAME
    }
    return "internal";
}

std::span<const ErrorCode> all_error_codes() { return every_code; }

Error::Error(ErrorCategory category, ErrorCode code, std::string message, std::filesystem::path path)
    : std::runtime_error(std::move(message)), category_(category), code_(code), path_(std::move(path)) {}

Error usage_error(std::string message) {
    return Error(ErrorCategory::usage, ErrorCode::usage, std::move(message));
}

Error runtime_error(ErrorCode code, std::string message, std::filesystem::path path) {
    return Error(ErrorCategory::runtime, code, std::move(message), std::move(path));
}

Error check_failed(ErrorCode code, std::string message, std::filesystem::path path) {
    return Error(ErrorCategory::check_failed, code, std::move(message), std::move(path));
}

Error io_error(const std::string& what, const std::filesystem::path& path, int errno_value) {
    const bool full = errno_value == ENOSPC || is_quota_errno(errno_value);
    std::string message = path.string() + ": " + what + ": " + (full ? "disk full" : std::strerror(errno_value));
    if (errno_value == EACCES || errno_value == EPERM || errno_value == EROFS) {
        return runtime_error(ErrorCode::permission_denied, message, path);
    }
    return runtime_error(full ? ErrorCode::disk_full : ErrorCode::io, message, path);
}

}  // namespace soniabk
