// Every operating-system call soniabk makes: durable writes, atomic renames, locks, permissions, space.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace soniabk::platform {

namespace fs = std::filesystem;

// A file opened for reading, closed on destruction.
class InputFile {
public:
    explicit InputFile(const fs::path& path);
    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&&) = delete;
    ~InputFile();

    // Reads up to `size` bytes; returns 0 at end of file.
    std::size_t read(void* buffer, std::size_t size);
    std::uint64_t size() const;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
    intptr_t handle_;
};

// A new file opened for writing, owner-only, closed (not synced) on destruction.
class OutputFile {
public:
    // Fails if `path` exists: soniabk never writes through a name it did not create.
    static OutputFile create_new(const fs::path& path);
    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&&) = delete;
    ~OutputFile();

    void write(const void* data, std::size_t size);
    void sync();   // data and metadata on stable storage (fsync / FlushFileBuffers)
    void close();  // reports the errors a deferred write may only show at close
    const fs::path& path() const { return path_; }

private:
    OutputFile(fs::path path, intptr_t handle) : path_(std::move(path)), handle_(handle) {}
    fs::path path_;
    intptr_t handle_;
};

// Flushes an existing file to stable storage.
void sync_file(const fs::path& path);
// Makes a rename or create inside `dir` durable (a no-op on Windows, where rename is write-through).
void sync_directory(const fs::path& dir);
// Renames `from` to `to` atomically, replacing `to` if it exists.
void atomic_replace(const fs::path& from, const fs::path& to);
// Renames `from` to `to` atomically unless `to` exists (then throws, code "exists"): publishing without
// ever replacing what an operator put there.
void rename_no_replace(const fs::path& from, const fs::path& to);
// Creates `dir` and its parents, owner-only for the ones it creates.
void create_private_directories(const fs::path& dir);
// Restricts `path` to its owner (0600 / 0700; an owner-only ACL on Windows is left to the installer).
void make_owner_only(const fs::path& path);
// A new directory with a unique name starting with `prefix` in the system temp directory (TMPDIR),
// owner-only, that no other user can have prepared in advance.
fs::path create_private_temp_directory(const std::string& prefix);
// Bytes available to this user on the volume holding `path`.
std::uint64_t free_space(const fs::path& path);

// An advisory lock on a file, released on destruction (flock / LockFileEx).
enum class LockMode { shared, exclusive };

class FileLock {
public:
    // Returns no lock when another process holds it.
    static std::optional<FileLock> try_acquire(const fs::path& path, LockMode mode);
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&&) = delete;
    ~FileLock();
    // Replaces the lock file's content (who holds it) without releasing the lock.
    void describe_holder(const std::string& text);

private:
    FileLock(fs::path path, intptr_t handle) : path_(std::move(path)), handle_(handle) {}
    fs::path path_;
    intptr_t handle_;
};

int current_process_id();
// False only when no process `pid` exists (a process of another user counts as existing).
bool process_exists(int pid);
bool is_terminal(int stream_fd);
// Reads one line from the terminal `stream_fd` with echo switched off (passphrases) into `out`, which has
// room reserved up front so no copy of the secret is left behind by a reallocation; false at end of input.
bool read_line_without_echo(int stream_fd, std::vector<unsigned char>& out);

// The absolute path of the running program (for scheduler entries); empty when not knowable.
fs::path executable_path();
// The other processes that hold `path` open (Linux: /proc/*/fd; empty where not knowable).
std::optional<std::string> process_holding_open(const fs::path& path);

// Another process's SQLite lock on `db` (a transaction) or on its -shm wal-index (any open WAL connection):
// "pid N", or nothing. Probes without locking; call only while this process has no connection to `db`,
// since closing the probe's descriptor drops this process's own POSIX locks on the file.
std::optional<std::string> sqlite_lock_holder(const fs::path& db);

struct CommandResult {
    int exit_code = -1;  // -1 when killed (by a signal or for timing out)
    bool timed_out = false;
    std::string out;  // the first 64 KiB of each stream
    std::string err;
};

using EnvironmentAdditions = std::vector<std::pair<std::string, std::string>>;

// Runs an operator's command through the system shell (/bin/sh -c; cmd /c on Windows) with `env` added,
// stdin empty and output captured; killed with its process group when it outlives `timeout`. Returns once
// the shell exits, even if something it started in the background keeps the output open.
CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout,
                                const EnvironmentAdditions& env = {});

// True while a process with this id exists (it may belong to another user).
bool process_is_running(int pid);

// Gives `to` the owner, group and permission bits of `from`, so a restored file can take the old one's place
// for the service that uses it; an ownership change this process may not make (not root) is skipped.
void copy_owner_and_mode(const fs::path& from, const fs::path& to);

// Creates a new owner-only directory `<parent>/<prefix>XXXXXX` with a unique random suffix.
fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix);

}  // namespace soniabk::platform
