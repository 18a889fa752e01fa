// POSIX part of platform.hpp for restores and drills: shell commands, SQLite lock probes, ownership, temp dirs.
#include "platform/platform.hpp"

#include "base/error.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>


extern char** environ;

namespace soniabk::platform {

namespace {

constexpr std::size_t captured_bytes_limit = 64 * 1024;

// SQLite's unix VFS locks: the database's pending/reserved/shared bytes start at 1 GiB; the wal-index (-shm)
// has eight WAL locks from byte 120 and the "dead man switch" byte 128 every open WAL connection holds.
constexpr off_t db_lock_start = 0x40000000;
constexpr off_t db_lock_length = 512;
constexpr off_t shm_lock_start = 120;
constexpr off_t shm_lock_length = 9;

std::optional<pid_t> conflicting_lock(const fs::path& path, off_t start, off_t length) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = start;
    probe.l_len = length;
    const int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    if (rc != 0 || probe.l_type == F_UNLCK) return std::nullopt;
    return probe.l_pid;
}

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

std::optional<std::string> sqlite_lock_holder(const fs::path& db) {
    auto holder = conflicting_lock(db, db_lock_start, db_lock_length);
    if (!holder) holder = conflicting_lock(db.string() + "-shm", shm_lock_start, shm_lock_length);
    if (!holder) return std::nullopt;
    return "pid " + std::to_string(*holder);
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

bool process_is_running(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

void copy_owner_and_mode(const fs::path& from, const fs::path& to) {
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0) throw io_error("stat", from, errno);
    // Only root may give a file away; anyone else keeps their own ownership, which is then already right.
    if (::chown(to.c_str(), st.st_uid, st.st_gid) != 0 && errno != EPERM) throw io_error("chown", to, errno);
    if (::chmod(to.c_str(), st.st_mode & 07777) != 0) throw io_error("chmod", to, errno);
}

fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw io_error("create directory", parent / prefix, errno);
    return pattern;
}

}  // namespace soniabk::platform
