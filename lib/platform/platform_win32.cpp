#include "platform/platform.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"

#include <cerrno>
#include <io.h>
#include <windows.h>

namespace soniabk::platform {

namespace {

HANDLE h(intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

// Maps the Win32 error of the last call onto the errno soniabk's messages are built from.
int last_errno() {
    switch (::GetLastError()) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND: return ENOENT;
        case ERROR_ACCESS_DENIED: return EACCES;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS: return EEXIST;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL: return ENOSPC;
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION: return EBUSY;
        default: return EIO;
    }
}

intptr_t open_or_throw(const fs::path& path, DWORD access, DWORD disposition, DWORD flags, const char* what) {
    const HANDLE handle = ::CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                        nullptr, disposition, flags, nullptr);
    if (handle == INVALID_HANDLE_VALUE) throw io_error(what, path, last_errno());
    return reinterpret_cast<intptr_t>(handle);
}

}  // namespace

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

fs::path create_private_temp_directory(const std::string& prefix) {
    for (int attempt = 0;; ++attempt) {
        const fs::path dir = fs::temp_directory_path() /
                             (prefix + "-" + std::to_string(::GetCurrentProcessId()) + "-" + std::to_string(::GetTickCount64() + attempt));
        if (::CreateDirectoryW(dir.c_str(), nullptr)) return dir;
        if (::GetLastError() != ERROR_ALREADY_EXISTS || attempt > 100) throw io_error("create temp directory", dir, last_errno());
    }
}

std::uint64_t free_space(const fs::path& path) { return fs::space(path).available; }

std::optional<FileLock> FileLock::try_acquire(const fs::path& path, LockMode mode) {
    const intptr_t handle = open_or_throw(path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                                          "open lock file");
    OVERLAPPED at{};
    const DWORD flags = LOCKFILE_FAIL_IMMEDIATELY | (mode == LockMode::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
    if (!::LockFileEx(h(handle), flags, 0, 1, 0, &at)) {
        ::CloseHandle(h(handle));
        return std::nullopt;
    }
    return FileLock(path, handle);
}

FileLock::FileLock(FileLock&& other) noexcept : path_(std::move(other.path_)), handle_(other.handle_) {
    other.handle_ = -1;
}

FileLock::~FileLock() {
    if (handle_ != -1) ::CloseHandle(h(handle_));
}

void FileLock::describe_holder(const std::string&) {}

int current_process_id() { return static_cast<int>(::GetCurrentProcessId()); }

bool process_exists(int pid) {
    const HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (process == nullptr) return ::GetLastError() == ERROR_ACCESS_DENIED;
    DWORD code = 0;
    const bool running = ::GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
    ::CloseHandle(process);
    return running;
}

bool is_terminal(int stream_fd) { return ::_isatty(stream_fd) != 0; }

bool read_line_without_echo(int stream_fd, std::vector<unsigned char>& out) {
    out.clear();
    out.reserve(1024);
    const HANDLE console = ::GetStdHandle(stream_fd == 0 ? STD_INPUT_HANDLE : STD_ERROR_HANDLE);
    DWORD saved = 0;
    const bool terminal = ::GetConsoleMode(console, &saved) != 0;
    if (terminal) ::SetConsoleMode(console, saved & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
    bool got_line = false;
    for (;;) {
        char c = 0;
        DWORD n = 0;
        if (!::ReadFile(console, &c, 1, &n, nullptr) || n == 0) break;
        got_line = true;
        if (c == '\n') break;
        if (out.size() + 1 < out.capacity()) out.push_back(static_cast<unsigned char>(c));
    }
    if (terminal) ::SetConsoleMode(console, saved);
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return got_line;
}

fs::path executable_path() {
    std::wstring buffer(32768, L'\0');
    const DWORD n = ::GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    buffer.resize(n);
    return fs::path(buffer);
}

std::optional<std::string> process_holding_open(const fs::path&) { return std::nullopt; }

}  // namespace soniabk::platform
