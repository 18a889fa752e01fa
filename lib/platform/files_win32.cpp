#include "platform/files.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/errors.hpp"
#include "platform/handles_win32.hpp"
#include "platform/injected_faults.hpp"
#include "platform/owner_only_win32.hpp"

#include <cerrno>
#include <windows.h>

#include <random>

namespace soniabk::platform {

using detail::errno_for;
using detail::fail_if_injected;
using detail::h;
using detail::last_errno;
using detail::open_or_throw;
using detail::win32_path;

namespace {

constexpr DWORD largest_call = 1u << 30;

// Whether some process has `path` open without delete sharing (as SQLite opens a database): no rename can
// replace it until that process closes it.
bool open_without_delete_sharing(const fs::path& path) {
    const HANDLE probe = ::CreateFileW(win32_path(path).c_str(), DELETE,
                                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                                       FILE_ATTRIBUTE_NORMAL, nullptr);
    if (probe != INVALID_HANDLE_VALUE) {
        ::CloseHandle(probe);
        return false;
    }
    return ::GetLastError() == ERROR_SHARING_VIOLATION;
}

void flush_or_throw(HANDLE handle, const fs::path& path) {
    fail_if_injected("fsync", "fsync", path);
    if (!::FlushFileBuffers(handle)) throw io_error("fsync", path, last_errno());
}

}  // namespace

InputFile::InputFile(const fs::path& path) : path_(path) {
    fail_if_injected("open", "open", path);
    handle_ = open_or_throw(path, GENERIC_READ, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, "open");
}

InputFile::InputFile(InputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

InputFile::~InputFile() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

std::size_t InputFile::read(void* buffer, std::size_t size) {
    fail_if_injected("read", "read", path_);
    DWORD n = 0;
    const DWORD want = static_cast<DWORD>(size > largest_call ? largest_call : size);
    if (!::ReadFile(h(handle_), buffer, want, &n, nullptr)) throw io_error("read", path_, last_errno());
    return n;
}

std::uint64_t InputFile::size() const {
    LARGE_INTEGER size{};
    if (!::GetFileSizeEx(h(handle_), &size)) throw io_error("stat", path_, last_errno());
    return static_cast<std::uint64_t>(size.QuadPart);
}

OutputFile OutputFile::create_new(const fs::path& path) {
    fail_if_injected("create", "create", path);
    detail::OwnerOnlySecurity security(detail::OwnerOnlySecurity::Target::file);
    return OutputFile(path, open_or_throw(path, GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, "create",
                                          security.attributes()));
}

OutputFile::OutputFile(OutputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

OutputFile::~OutputFile() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

void OutputFile::write(const void* data, std::size_t size) {
    const auto fault = fault::io_call("write");
    DWORD n = 0;
    if (fault == fault::IoFault::short_write && size > 1) {
        // A disk that fills mid-call: part of the buffer lands, then the next write fails.
        if (!::WriteFile(h(handle_), data, static_cast<DWORD>(size / 2), &n, nullptr)) {
            throw io_error("write", path_, last_errno());
        }
    }
    if (fault != fault::IoFault::none) throw io_error("write", path_, errno_for(fault));
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const DWORD chunk = static_cast<DWORD>(size > largest_call ? largest_call : size);
        if (!::WriteFile(h(handle_), bytes, chunk, &n, nullptr)) throw io_error("write", path_, last_errno());
        bytes += n;
        size -= n;
    }
}

void OutputFile::sync() { flush_or_throw(h(handle_), path_); }

void OutputFile::close() {
    const HANDLE handle = h(handle_);
    handle_ = -1;
    if (!::CloseHandle(handle)) throw io_error("close", path_, last_errno());
}

void sync_file(const fs::path& path) {
    const HANDLE handle = h(open_or_throw(path, GENERIC_WRITE, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, "open"));
    try {
        flush_or_throw(handle, path);
    } catch (...) {
        ::CloseHandle(handle);
        throw;
    }
    ::CloseHandle(handle);
}

// NTFS makes a MOVEFILE_WRITE_THROUGH rename durable itself; a directory cannot be flushed there.
void sync_directory(const fs::path& dir) { fail_if_injected("sync_dir", "fsync directory", dir); }

void atomic_replace(const fs::path& from, const fs::path& to) {
    fail_if_injected("rename", "rename to " + to.string(), from);
    if (!::MoveFileExW(win32_path(from).c_str(), win32_path(to).c_str(),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        const DWORD error = ::GetLastError();
        if ((error == ERROR_SHARING_VIOLATION || error == ERROR_ACCESS_DENIED) && open_without_delete_sharing(to)) {
            throw in_use_error(to);
        }
        throw io_error("rename to " + to.string(), from, detail::errno_of_win32(error));
    }
}

void rename_no_replace(const fs::path& from, const fs::path& to) {
    fail_if_injected("rename", "rename to " + to.string(), from);
    if (!::MoveFileExW(win32_path(from).c_str(), win32_path(to).c_str(), MOVEFILE_WRITE_THROUGH)) {
        const int saved = last_errno();
        if (saved == EEXIST) throw runtime_error(ErrorCode::exists, to.string() + ": already exists; soniabk never overwrites it", to);
        throw io_error("rename to " + to.string(), from, saved);
    }
}

void create_private_directories(const fs::path& dir) {
    if (dir.empty() || fs::is_directory(dir) || dir == dir.root_path()) return;
    create_private_directories(dir.parent_path());
    fail_if_injected("mkdir", "create directory", dir);
    detail::OwnerOnlySecurity security(detail::OwnerOnlySecurity::Target::directory);
    if (!::CreateDirectoryW(win32_path(dir).c_str(), security.attributes()) && ::GetLastError() != ERROR_ALREADY_EXISTS) {
        throw io_error("create directory", dir, last_errno());
    }
}

fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    detail::OwnerOnlySecurity security(detail::OwnerOnlySecurity::Target::directory);
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string suffix;
        for (int i = 0; i < 6; ++i) suffix += alphabet[random() % (sizeof alphabet - 1)];
        const fs::path dir = parent / (prefix + suffix);
        if (::CreateDirectoryW(win32_path(dir).c_str(), security.attributes())) return dir;
        if (::GetLastError() != ERROR_ALREADY_EXISTS) throw io_error("create directory", dir, last_errno());
    }
    throw io_error("create directory", parent / prefix, EEXIST);
}

std::uint64_t free_space(const fs::path& path) {
    ULARGE_INTEGER available{};
    if (!::GetDiskFreeSpaceExW(win32_path(path).c_str(), &available, nullptr, nullptr)) {
        throw io_error("free space", path, last_errno());
    }
    return available.QuadPart;
}

}  // namespace soniabk::platform
