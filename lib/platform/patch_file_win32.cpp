#include "platform/files.hpp"

#include "base/error.hpp"
#include "platform/handles_win32.hpp"
#include "platform/injected_faults.hpp"

#include <windows.h>

namespace soniabk::platform {

using detail::fail_if_injected;
using detail::h;
using detail::last_errno;

namespace {

void move_to(HANDLE handle, std::uint64_t offset, const fs::path& path) {
    LARGE_INTEGER to{};
    to.QuadPart = static_cast<LONGLONG>(offset);
    if (!::SetFilePointerEx(handle, to, nullptr, FILE_BEGIN)) throw io_error("seek", path, last_errno());
}

}  // namespace

void InputFile::seek(std::uint64_t offset) { move_to(h(handle_), offset, path_); }

PatchFile::PatchFile(const fs::path& path) : path_(path) {
    fail_if_injected("open", "open", path);
    handle_ = detail::open_or_throw(path, GENERIC_READ | GENERIC_WRITE, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, "open");
}

PatchFile::~PatchFile() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

void PatchFile::write_at(std::uint64_t offset, const void* data, std::size_t size) {
    fail_if_injected("write", "write", path_);
    move_to(h(handle_), offset, path_);
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        DWORD n = 0;
        const DWORD chunk = static_cast<DWORD>(size > (1u << 30) ? (1u << 30) : size);
        if (!::WriteFile(h(handle_), bytes, chunk, &n, nullptr)) throw io_error("write", path_, last_errno());
        bytes += n;
        size -= n;
    }
}

void PatchFile::resize(std::uint64_t size) {
    move_to(h(handle_), size, path_);
    if (!::SetEndOfFile(h(handle_))) throw io_error("truncate", path_, last_errno());
}

void PatchFile::sync() {
    fail_if_injected("fsync", "fsync", path_);
    if (!::FlushFileBuffers(h(handle_))) throw io_error("fsync", path_, last_errno());
}

}  // namespace soniabk::platform
