#include "platform/processes.hpp"

#include "base/error.hpp"
#include "platform/environment_win32.hpp"
#include "platform/handles_win32.hpp"

#include <cerrno>
#include <windows.h>  // before restartmanager.h, which needs its types

#include <restartmanager.h>

#include <vector>

namespace soniabk::platform {

namespace {

constexpr DWORD captured_bytes_limit = 64 * 1024;

// An inheritable, delete-on-close temp file the child writes one output stream into.
HANDLE capture_file() {
    wchar_t dir[MAX_PATH + 1];
    wchar_t name[MAX_PATH + 1];
    if (::GetTempPathW(MAX_PATH, dir) == 0 || ::GetTempFileNameW(dir, L"sbk", 0, name) == 0) {
        throw io_error("create capture file", "cmd.exe", EIO);
    }
    SECURITY_ATTRIBUTES inherit{static_cast<DWORD>(sizeof(SECURITY_ATTRIBUTES)), nullptr, TRUE};
    const HANDLE file = ::CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                      CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
    if (file == INVALID_HANDLE_VALUE) throw io_error("create capture file", fs::path(name), EIO);
    return file;
}

std::string read_back(HANDLE file) {
    ::SetFilePointer(file, 0, nullptr, FILE_BEGIN);
    std::string text(captured_bytes_limit, '\0');
    DWORD n = 0;
    if (!::ReadFile(file, text.data(), captured_bytes_limit, &n, nullptr)) n = 0;
    text.resize(n);
    ::CloseHandle(file);
    return text;
}

}  // namespace

int current_process_id() { return static_cast<int>(::GetCurrentProcessId()); }

std::string host_name() {
    char name[MAX_COMPUTERNAME_LENGTH + 1] = {};
    DWORD size = sizeof name;
    return ::GetComputerNameA(name, &size) ? std::string(name, size) : std::string();
}

std::string user_name() {
    char name[257] = {};
    DWORD size = sizeof name;
    return ::GetUserNameA(name, &size) && size > 0 ? std::string(name, size - 1) : std::string();
}

bool process_exists(int pid) {
    if (pid <= 0) return false;
    const HANDLE process = ::OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
    if (process == nullptr) return ::GetLastError() == ERROR_ACCESS_DENIED;
    const bool running = ::WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
    ::CloseHandle(process);
    return running;
}

fs::path executable_path() {
    std::wstring buffer(32768, L'\0');
    const DWORD n = ::GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    buffer.resize(n);
    return fs::path(buffer);
}

// The Restart Manager knows which processes have a file open (wine's answers none).
std::optional<std::string> process_holding_open(const fs::path& path) {
    DWORD session = 0;
    WCHAR key[CCH_RM_SESSION_KEY + 1] = {};
    if (::RmStartSession(&session, 0, key) != ERROR_SUCCESS) return std::nullopt;
    std::optional<std::string> holder;
    const std::wstring name = detail::win32_path(path);
    LPCWSTR files[] = {name.c_str()};
    UINT needed = 0;
    UINT count = 0;
    DWORD reasons = 0;
    if (::RmRegisterResources(session, 1, files, 0, nullptr, 0, nullptr) == ERROR_SUCCESS &&
        ::RmGetList(session, &needed, &count, nullptr, &reasons) == ERROR_MORE_DATA) {
        std::vector<RM_PROCESS_INFO> processes(needed);
        count = needed;
        if (::RmGetList(session, &needed, &count, processes.data(), &reasons) == ERROR_SUCCESS) {
            for (UINT i = 0; i < count && !holder; ++i) {
                const DWORD pid = processes[i].Process.dwProcessId;
                if (pid != ::GetCurrentProcessId()) holder = "pid " + std::to_string(pid);
            }
        }
    }
    ::RmEndSession(session);
    return holder;
}

CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout,
                                const EnvironmentAdditions& env) {
    const HANDLE out = capture_file();
    const HANDLE err = capture_file();
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = INVALID_HANDLE_VALUE;
    startup.hStdOutput = out;
    startup.hStdError = err;
    PROCESS_INFORMATION process{};
    std::wstring line = L"cmd.exe /d /s /c \"" + detail::widen_utf8(command) + L"\"";
    std::wstring environment = detail::environment_block(env);
    // A job holds the shell and everything it starts, so a timeout ends the whole tree, not only cmd.exe
    // (a command that starts a service on time leaves it running: the job is closed without killing).
    const HANDLE job = ::CreateJobObjectW(nullptr, nullptr);
    const BOOL started = ::CreateProcessW(nullptr, line.data(), nullptr, nullptr, TRUE,
                                          CREATE_NO_WINDOW | CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT,
                                          environment.data(), nullptr, &startup, &process);
    if (!started) {
        ::CloseHandle(out);
        ::CloseHandle(err);
        if (job != nullptr) ::CloseHandle(job);
        throw io_error("start command", "cmd.exe", detail::last_errno());
    }
    if (job != nullptr) ::AssignProcessToJobObject(job, process.hProcess);
    ::ResumeThread(process.hThread);
    CommandResult result;
    const DWORD wait = static_cast<DWORD>(timeout.count());
    if (::WaitForSingleObject(process.hProcess, wait) == WAIT_TIMEOUT) {
        if (job != nullptr) ::TerminateJobObject(job, 1);
        ::TerminateProcess(process.hProcess, 1);
        ::WaitForSingleObject(process.hProcess, INFINITE);
        result.timed_out = true;
    } else {
        DWORD code = 0;
        ::GetExitCodeProcess(process.hProcess, &code);
        result.exit_code = static_cast<int>(code);
    }
    ::CloseHandle(process.hThread);
    ::CloseHandle(process.hProcess);
    if (job != nullptr) ::CloseHandle(job);
    result.out = read_back(out);
    result.err = read_back(err);
    return result;
}

// A new file inherits the directory's ACL, which is what the file it replaces had.
void copy_owner_and_mode(const fs::path&, const fs::path&) {}

}  // namespace soniabk::platform
