#include "platform/files.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/handles_posix.hpp"
#include "platform/injected_faults.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace soniabk::platform {

using detail::errno_for;
using detail::fail_if_injected;
using detail::fd_of;
using detail::open_or_throw;

namespace {

void fsync_or_throw(int fd, const fs::path& path) {
    fail_if_injected("fsync", "fsync", path);
    if (::fsync(fd) != 0) throw io_error("fsync", path, errno);
}

}  // namespace

InputFile::InputFile(const fs::path& path) : path_(path) {
    fail_if_injected("open", "open", path);
    handle_ = open_or_throw(path, O_RDONLY, 0, "open");
}

InputFile::InputFile(InputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

InputFile::~InputFile() {
    if (handle_ >= 0) ::close(fd_of(handle_));
}

std::size_t InputFile::read(void* buffer, std::size_t size) {
    fail_if_injected("read", "read", path_);
    for (;;) {
        const ssize_t n = ::read(fd_of(handle_), buffer, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw io_error("read", path_, errno);
    }
}

std::uint64_t InputFile::size() const {
    struct stat st {};
    if (::fstat(fd_of(handle_), &st) != 0) throw io_error("stat", path_, errno);
    return static_cast<std::uint64_t>(st.st_size);
}

OutputFile OutputFile::create_new(const fs::path& path) {
    fail_if_injected("create", "create", path);
    const int fd = open_or_throw(path, O_WRONLY | O_CREAT | O_EXCL, 0600, "create");
    return OutputFile(path, fd);
}

OutputFile::OutputFile(OutputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

OutputFile::~OutputFile() {
    if (handle_ >= 0) ::close(fd_of(handle_));
}

void OutputFile::write(const void* data, std::size_t size) {
    const auto fault = fault::io_call("write");
    if (fault == fault::IoFault::short_write && size > 1) {
        // A disk that fills mid-call: part of the buffer lands, then the next write fails.
        if (::write(fd_of(handle_), data, size / 2) < 0) throw io_error("write", path_, errno);
    }
    if (fault != fault::IoFault::none) throw io_error("write", path_, errno_for(fault));
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd_of(handle_), bytes, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw io_error("write", path_, errno);
        }
        bytes += n;
        size -= static_cast<std::size_t>(n);
    }
}

void OutputFile::sync() { fsync_or_throw(fd_of(handle_), path_); }

void OutputFile::close() {
    const int fd = fd_of(handle_);
    handle_ = -1;
    if (::close(fd) != 0 && errno != EINTR) throw io_error("close", path_, errno);
}

void sync_file(const fs::path& path) {
    const int fd = open_or_throw(path, O_RDONLY, 0, "open");
    try {
        fsync_or_throw(fd, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

void sync_directory(const fs::path& dir) {
    fail_if_injected("sync_dir", "fsync directory", dir);
    const int fd = open_or_throw(dir, O_RDONLY | O_DIRECTORY, 0, "open directory");
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    // Some filesystems cannot fsync a directory; their renames are then as durable as they get.
    if (rc != 0 && saved != EINVAL && saved != ENOTSUP) throw io_error("fsync directory", dir, saved);
}

void atomic_replace(const fs::path& from, const fs::path& to) {
    fail_if_injected("rename", "rename to " + to.string(), from);
    if (::rename(from.c_str(), to.c_str()) != 0) throw io_error("rename to " + to.string(), from, errno);
}

void rename_no_replace(const fs::path& from, const fs::path& to) {
    fail_if_injected("rename", "rename to " + to.string(), from);
    int saved = 0;
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
    saved = errno;
#endif
    // Systems or filesystems without RENAME_NOREPLACE: a hard link fails just as atomically when `to` exists.
    if (saved == 0 || saved == EINVAL || saved == ENOSYS || saved == ENOTSUP) {
        if (::link(from.c_str(), to.c_str()) == 0) {
            ::unlink(from.c_str());
            return;
        }
        saved = errno;
    }
    if (saved == EEXIST) throw runtime_error(ErrorCode::exists, to.string() + ": already exists; soniabk never overwrites it", to);
    throw io_error("rename to " + to.string(), from, saved);
}

void create_private_directories(const fs::path& dir) {
    if (dir.empty() || fs::is_directory(dir)) return;
    create_private_directories(dir.parent_path());
    fail_if_injected("mkdir", "create directory", dir);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw io_error("create directory", dir, errno);
}

void make_owner_only(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw io_error("stat", path, errno);
    const mode_t mode = S_ISDIR(st.st_mode) ? 0700 : 0600;
    if (::chmod(path.c_str(), mode) != 0) throw io_error("chmod", path, errno);
}

bool is_owner_only(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) == 0;
}

fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw io_error("create directory", parent / prefix, errno);
    return pattern;
}

std::uint64_t free_space(const fs::path& path) {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) throw io_error("statvfs", path, errno);
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace soniabk::platform
