#include "platform/processes.hpp"

#include "base/error.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

extern char** environ;

namespace soniabk::platform {

namespace {

constexpr std::size_t captured_bytes_limit = 64 * 1024;

// The parent's environment with `additions` replacing or adding entries, as posix_spawn wants it.
std::vector<std::string> environment_with(const EnvironmentAdditions& additions) {
    std::vector<std::string> entries;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const auto& [name, value] : additions) replaced = replaced || name == key;
        if (!replaced) entries.push_back(entry);
    }
    for (const auto& [name, value] : additions) entries.push_back(name + "=" + value);
    return entries;
}

void append_capped(std::string& out, const char* data, std::size_t size) {
    if (out.size() < captured_bytes_limit) out.append(data, std::min(size, captured_bytes_limit - out.size()));
}

// Reads whatever the non-blocking pipe holds right now.
void drain(int fd, std::string& out) {
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            append_capped(out, buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return;
    }
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw io_error("pipe", "/bin/sh", errno);
        read_end = fds[0];
        write_end = fds[1];
        ::fcntl(read_end, F_SETFL, O_NONBLOCK);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe() {
        if (read_end >= 0) ::close(read_end);
        if (write_end >= 0) ::close(write_end);
    }
    void close_write_end() {
        ::close(write_end);
        write_end = -1;
    }
};

pid_t spawn_shell(const std::string& command, const EnvironmentAdditions& env, Pipe& out, Pipe& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group, so a timeout can kill everything the command started.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<std::string> environment = environment_with(env);
    std::vector<char*> envp;
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::string shell = "/bin/sh", flag = "-c", text = command;
    char* argv[] = {shell.data(), flag.data(), text.data(), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) throw io_error("start command", "/bin/sh", rc);
    return pid;
}

}  // namespace

int current_process_id() { return static_cast<int>(::getpid()); }

bool process_exists(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return {};
    return name;
}

std::string user_name() {
    const long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        return found->pw_name;
    }
    return std::to_string(::geteuid());  // a uid without a passwd entry (containers) is still someone
}

fs::path executable_path() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : self;
}

std::optional<std::string> process_holding_open(const fs::path& path) {
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(path, ec);
    const std::string self = std::to_string(::getpid());
    for (const auto& proc : fs::directory_iterator("/proc", fs::directory_options::skip_permission_denied, ec)) {
        const std::string pid = proc.path().filename().string();
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid == self) continue;
        std::error_code fd_ec;
        for (const auto& fd : fs::directory_iterator(proc.path() / "fd", fd_ec)) {
            std::error_code link_ec;
            if (fs::read_symlink(fd.path(), link_ec) == target) return "pid " + pid;
        }
    }
    return std::nullopt;
}

CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout,
                                const EnvironmentAdditions& env) {
    Pipe out, err;
    const pid_t pid = spawn_shell(command, env, out, err);
    out.close_write_end();
    err.close_write_end();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    CommandResult result;
    int status = 0;
    for (;;) {
        pollfd fds[] = {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}};
        ::poll(fds, 2, 20);
        drain(out.read_end, result.out);
        drain(err.read_end, result.err);
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            result.timed_out = true;
            break;
        }
    }
    drain(out.read_end, result.out);
    drain(err.read_end, result.err);
    if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

void copy_owner_and_mode(const fs::path& from, const fs::path& to) {
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0) throw io_error("stat", from, errno);
    // Only root may give a file away; anyone else keeps their own ownership, which is then already right.
    if (::chown(to.c_str(), st.st_uid, st.st_gid) != 0 && errno != EPERM) throw io_error("chown", to, errno);
    if (::chmod(to.c_str(), st.st_mode & 07777) != 0) throw io_error("chmod", to, errno);
}

}  // namespace soniabk::platform
