#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/files.hpp"
#include "platform/handles_posix.hpp"

#include <cerrno>
#include <unistd.h>

namespace soniabk::platform {

void append_to_file(const fs::path& path, std::string_view bytes) {
    const int fd = detail::open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT, 0600, "open for append");
    try {
        if (fault::io_call("write") != fault::IoFault::none) throw io_error("append", path, ENOSPC);
        // One write(2) with O_APPEND: concurrent appenders never interleave inside a record.
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) throw io_error("append", path, errno);
        if (static_cast<std::size_t>(n) != bytes.size()) throw io_error("append", path, ENOSPC);
        if (fault::io_call("fsync") != fault::IoFault::none) throw io_error("fsync", path, EIO);
        if (::fsync(fd) != 0) throw io_error("fsync", path, errno);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

}  // namespace soniabk::platform
