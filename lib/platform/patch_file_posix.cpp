#include "platform/files.hpp"

#include "base/error.hpp"
#include "platform/handles_posix.hpp"
#include "platform/injected_faults.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace soniabk::platform {

using detail::fail_if_injected;
using detail::fd_of;

void InputFile::seek(std::uint64_t offset) {
    if (::lseek(fd_of(handle_), static_cast<off_t>(offset), SEEK_SET) < 0) throw io_error("seek", path_, errno);
}

PatchFile::PatchFile(const fs::path& path) : path_(path) {
    fail_if_injected("open", "open", path);
    handle_ = detail::open_or_throw(path, O_RDWR, 0, "open");
}

PatchFile::~PatchFile() {
    if (handle_ >= 0) ::close(fd_of(handle_));
}

void PatchFile::write_at(std::uint64_t offset, const void* data, std::size_t size) {
    fail_if_injected("write", "write", path_);
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::pwrite(fd_of(handle_), bytes, size, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw io_error("write", path_, errno);
        }
        bytes += n;
        offset += static_cast<std::uint64_t>(n);
        size -= static_cast<std::size_t>(n);
    }
}

void PatchFile::resize(std::uint64_t size) {
    if (::ftruncate(fd_of(handle_), static_cast<off_t>(size)) != 0) throw io_error("truncate", path_, errno);
}

void PatchFile::sync() {
    fail_if_injected("fsync", "fsync", path_);
    if (::fsync(fd_of(handle_)) != 0) throw io_error("fsync", path_, errno);
}

}  // namespace soniabk::platform
