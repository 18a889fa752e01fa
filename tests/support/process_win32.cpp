#include "process.hpp"

#include "temp_dir.hpp"

#include "platform/environment_win32.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <windows.h>  // before psapi.h, which needs its types

#include <psapi.h>

namespace soniabk::test {

namespace {

using platform::detail::environment_block;
using platform::detail::widen_utf8;

constexpr DWORD killed_exit_base = 128;
constexpr int start_attempts = 5;

std::filesystem::path capture_path(const char* what) {
    static std::atomic<int> counter{0};
    return std::filesystem::temp_directory_path() / ("soniabk-test-" + std::to_string(::GetCurrentProcessId()) + "-" +
                                                     std::to_string(counter++) + "." + what);
}

// One argument quoted the way CommandLineToArgvW and the C runtime split a command line back.
void append_quoted(std::wstring& line, const std::wstring& argument) {
    if (!line.empty()) line += L' ';
    if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
        line += argument;
        return;
    }
    line += L'"';
    for (std::size_t i = 0;; ++i) {
        std::size_t backslashes = 0;
        while (i < argument.size() && argument[i] == L'\\') {
            ++i;
            ++backslashes;
        }
        if (i == argument.size()) {
            line.append(backslashes * 2, L'\\');
            break;
        }
        if (argument[i] == L'"') {
            line.append(backslashes * 2 + 1, L'\\');
        } else {
            line.append(backslashes, L'\\');
        }
        line += argument[i];
    }
    line += L'"';
}

HANDLE inheritable(const std::filesystem::path& path, DWORD access, DWORD disposition) {
    SECURITY_ATTRIBUTES inherit{static_cast<DWORD>(sizeof(SECURITY_ATTRIBUTES)), nullptr, TRUE};
    const HANDLE file = ::CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      &inherit, disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) throw std::runtime_error("cannot open " + path.string());
    return file;
}

HANDLE handle_of(std::intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

// The process's peak working set so far, or `known` if higher (wine reports nothing once a process has exited).
std::uint64_t peak_working_set(HANDLE process, std::uint64_t known) {
    PROCESS_MEMORY_COUNTERS memory{};
    if (!::K32GetProcessMemoryInfo(process, &memory, sizeof memory)) return known;
    return std::max<std::uint64_t>(known, memory.PeakWorkingSetSize);
}

}  // namespace

Child::Child(const std::vector<std::string>& argv, const ProcessOptions& options)
    : out_path_(capture_path("out")), err_path_(capture_path("err")), in_path_(capture_path("in")) {
    write_text(in_path_, options.stdin_text);
    std::wstring line;
    for (const auto& argument : argv) append_quoted(line, widen_utf8(argument));
    std::wstring environment = environment_block({options.env.begin(), options.env.end()});
    const HANDLE in = inheritable(in_path_, GENERIC_READ, OPEN_EXISTING);
    const HANDLE out = inheritable(out_path_, GENERIC_WRITE, CREATE_ALWAYS);
    const HANDLE err = inheritable(err_path_, GENERIC_WRITE, CREATE_ALWAYS);
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = in;
    startup.hStdOutput = out;
    startup.hStdError = err;
    PROCESS_INFORMATION process{};
    const std::wstring cwd = options.cwd.wstring();
    BOOL started = FALSE;
    DWORD error = 0;
    // wine's process creation fails now and then under load (a fault walk starts thousands): a few tries.
    for (int attempt = 1; attempt <= start_attempts && !started; ++attempt) {
        started = ::CreateProcessW(nullptr, line.data(), nullptr, nullptr, TRUE, CREATE_UNICODE_ENVIRONMENT,
                                   environment.data(), cwd.empty() ? nullptr : cwd.c_str(), &startup, &process);
        if (!started) {
            error = ::GetLastError();
            if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) break;
            ::Sleep(static_cast<DWORD>(100 * attempt));
        }
    }
    ::CloseHandle(in);
    ::CloseHandle(out);
    ::CloseHandle(err);
    if (!started) throw std::runtime_error("cannot start " + argv.at(0) + ": Windows error " + std::to_string(error));
    ::CloseHandle(process.hThread);
    pid_ = static_cast<int>(process.dwProcessId);
    handle_ = reinterpret_cast<std::intptr_t>(process.hProcess);
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_), handle_(other.handle_), out_path_(std::move(other.out_path_)),
      err_path_(std::move(other.err_path_)), in_path_(std::move(other.in_path_)), reaped_(other.reaped_),
      status_(other.status_), peak_memory_bytes_(other.peak_memory_bytes_) {
    other.pid_ = -1;
    other.handle_ = -1;
}

Child::~Child() {
    if (handle_ != -1) {
        if (!reaped_) {
            ::TerminateProcess(handle_of(handle_), killed_exit_base + SIGKILL);
            ::WaitForSingleObject(handle_of(handle_), INFINITE);
        }
        ::CloseHandle(handle_of(handle_));
    }
    std::error_code ignored;
    std::filesystem::remove(out_path_, ignored);
    std::filesystem::remove(err_path_, ignored);
    std::filesystem::remove(in_path_, ignored);
}

// Windows cannot deliver a signal: every one ends the process at once, with exit code 128 + signal.
void Child::kill(int signal) {
    if (handle_ != -1 && !reaped_) ::TerminateProcess(handle_of(handle_), killed_exit_base + static_cast<DWORD>(signal));
}

bool Child::running() {
    if (reaped_) return false;
    if (::WaitForSingleObject(handle_of(handle_), 0) == WAIT_OBJECT_0) {
        DWORD code = 0;
        ::GetExitCodeProcess(handle_of(handle_), &code);
        status_ = static_cast<int>(code);
        peak_memory_bytes_ = peak_working_set(handle_of(handle_), peak_memory_bytes_);
        reaped_ = true;
    }
    return !reaped_;
}

ProcessResult Child::wait() {
    if (!reaped_) {
        // Sampled while it runs: after its exit the peak may no longer be there to read.
        while (::WaitForSingleObject(handle_of(handle_), 10) == WAIT_TIMEOUT) {
            peak_memory_bytes_ = peak_working_set(handle_of(handle_), peak_memory_bytes_);
        }
        running();
    }
    ProcessResult result;
    // 137 is what a kill (a test's or soniabk's own kill point) leaves; soniabk itself never exits with it.
    if (status_ == static_cast<int>(killed_exit_base + SIGKILL)) {
        result.signal = SIGKILL;
    } else {
        result.exit_code = status_;
    }
    result.out = read_text(out_path_);
    result.err = read_text(err_path_);
    result.peak_memory_bytes = peak_memory_bytes_;
    return result;
}

}  // namespace soniabk::test
