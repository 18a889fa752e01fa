#include "platform/locks.hpp"

#include "base/error.hpp"
#include "platform/handles_posix.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace soniabk::platform {

using detail::fd_of;
using detail::open_or_throw;

std::optional<FileLock> FileLock::try_acquire(const fs::path& path, LockMode mode) {
    const int fd = open_or_throw(path, O_RDWR | O_CREAT, 0600, "open lock file");
    if (::flock(fd, (mode == LockMode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        const int saved = errno;
        ::close(fd);
        if (saved == EWOULDBLOCK) return std::nullopt;
        throw io_error("lock", path, saved);
    }
    return FileLock(path, fd);
}

FileLock::FileLock(FileLock&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

FileLock::~FileLock() {
    if (handle_ >= 0) ::close(fd_of(handle_));  // closing releases the flock
}

void FileLock::describe_holder(const std::string& text) {
    const int fd = fd_of(handle_);
    if (::ftruncate(fd, 0) != 0) return;  // the description is a courtesy; the lock is what counts
    [[maybe_unused]] const ssize_t n = ::pwrite(fd, text.data(), text.size(), 0);
}

std::optional<RangeLockHolder> range_lock_holder(const fs::path& path, std::uint64_t start, std::uint64_t length) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = static_cast<off_t>(start);
    probe.l_len = static_cast<off_t>(length);
    const int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    if (rc != 0 || probe.l_type == F_UNLCK) return std::nullopt;
    return RangeLockHolder{static_cast<int>(probe.l_pid)};
}

}  // namespace soniabk::platform
