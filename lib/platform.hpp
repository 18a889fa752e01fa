// Every operating-system call soniabk makes: durable writes, atomic renames, locks, permissions, space.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

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
// Creates `dir` and its parents, owner-only for the ones it creates.
void create_private_directories(const fs::path& dir);
// Restricts `path` to its owner (0600 / 0700; an owner-only ACL on Windows is left to the installer).
void make_owner_only(const fs::path& path);
// Bytes available to this user on the volume holding `path`.
std::uint64_t free_space(const fs::path& path);

// An advisory lock on a file, released on destruction (flock / LockFileEx).
class FileLock {
public:
    // Returns no lock when another process holds it.
    static std::optional<FileLock> try_acquire(const fs::path& path, bool exclusive);
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
bool is_terminal(int stream_fd);
// The absolute path of the running program (for scheduler entries); empty when not knowable.
fs::path executable_path();
// The other processes that hold `path` open (Linux: /proc/*/fd; empty where not knowable).
std::optional<std::string> process_holding_open(const fs::path& path);

}  // namespace soniabk::platform
