#include "platform/files.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/handles_win32.hpp"

#include <cerrno>
#include <windows.h>

#include <random>

namespace soniabk::platform {

using detail::h;
using detail::last_errno;
using detail::open_or_throw;

InputFile::InputFile(const fs::path& path)
    : path_(path), handle_(open_or_throw(path, GENERIC_READ, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, "open")) {}

InputFile::InputFile(InputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

InputFile::~InputFile() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

std::size_t InputFile::read(void* buffer, std::size_t size) {
    DWORD n = 0;
    const DWORD want = static_cast<DWORD>(size > (1u << 30) ? (1u << 30) : size);
    if (!::ReadFile(h(handle_), buffer, want, &n, nullptr)) throw io_error("read", path_, last_errno());
    return n;
}

std::uint64_t InputFile::size() const {
    LARGE_INTEGER size{};
    if (!::GetFileSizeEx(h(handle_), &size)) throw io_error("stat", path_, last_errno());
    return static_cast<std::uint64_t>(size.QuadPart);
}

OutputFile OutputFile::create_new(const fs::path& path) {
    return OutputFile(path, open_or_throw(path, GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, "create"));
}

OutputFile::OutputFile(OutputFile&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

OutputFile::~OutputFile() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

void OutputFile::write(const void* data, std::size_t size) {
    if (fault::should_fail("write")) throw io_error("write", path_, ENOSPC);
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        DWORD n = 0;
        const DWORD chunk = static_cast<DWORD>(size > (1u << 30) ? (1u << 30) : size);
        if (!::WriteFile(h(handle_), bytes, chunk, &n, nullptr)) throw io_error("write", path_, last_errno());
        bytes += n;
        size -= n;
    }
}

void OutputFile::sync() {
    if (fault::should_fail("fsync") || !::FlushFileBuffers(h(handle_))) throw io_error("flush", path_, EIO);
}

void OutputFile::close() {
    const HANDLE handle = h(handle_);
    handle_ = -1;
    if (!::CloseHandle(handle)) throw io_error("close", path_, last_errno());
}

void sync_file(const fs::path& path) {
    const HANDLE handle = h(open_or_throw(path, GENERIC_WRITE, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, "open"));
    const bool ok = ::FlushFileBuffers(handle);
    ::CloseHandle(handle);
    if (!ok) throw io_error("flush", path, EIO);
}

void sync_directory(const fs::path&) {}

void atomic_replace(const fs::path& from, const fs::path& to) {
    if (!::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        throw io_error("rename to " + to.string(), from, last_errno());
    }
}

void rename_no_replace(const fs::path& from, const fs::path& to) {
    if (!::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_WRITE_THROUGH)) {
        const int saved = last_errno();
        if (saved == EEXIST) throw runtime_error(ErrorCode::exists, to.string() + ": already exists; soniabk never overwrites it", to);
        throw io_error("rename to " + to.string(), from, saved);
    }
}

void create_private_directories(const fs::path& dir) { fs::create_directories(dir); }

void make_owner_only(const fs::path&) {}

fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string suffix;
        for (int i = 0; i < 6; ++i) suffix += alphabet[random() % (sizeof alphabet - 1)];
        const fs::path dir = parent / (prefix + suffix);
        if (::CreateDirectoryW(dir.c_str(), nullptr)) return dir;
        if (::GetLastError() != ERROR_ALREADY_EXISTS) throw io_error("create directory", dir, EIO);
    }
    throw io_error("create directory", parent / prefix, EEXIST);
}

std::uint64_t free_space(const fs::path& path) { return fs::space(path).available; }

}  // namespace soniabk::platform
