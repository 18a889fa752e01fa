#include "error.hpp"

#include <cerrno>
#include <cstring>

namespace soniabk {

Error::Error(ErrorCategory category, std::string code, std::string message, std::filesystem::path path)
    : std::runtime_error(std::move(message)), category_(category), code_(std::move(code)), path_(std::move(path)) {}

Error usage_error(std::string message) {
    return Error(ErrorCategory::usage, "usage", std::move(message));
}

Error runtime_error(std::string code, std::string message, std::filesystem::path path) {
    return Error(ErrorCategory::runtime, std::move(code), std::move(message), std::move(path));
}

Error check_failed(std::string code, std::string message, std::filesystem::path path) {
    return Error(ErrorCategory::check_failed, std::move(code), std::move(message), std::move(path));
}

Error io_error(const std::string& what, const std::filesystem::path& path, int errno_value) {
    const bool full = errno_value == ENOSPC || errno_value == EDQUOT;
    std::string message = path.string() + ": " + what + ": " + (full ? "disk full" : std::strerror(errno_value));
    if (errno_value == EACCES || errno_value == EPERM || errno_value == EROFS) {
        return runtime_error("permission_denied", message, path);
    }
    return runtime_error(full ? "disk_full" : "io", message, path);
}

}  // namespace soniabk
