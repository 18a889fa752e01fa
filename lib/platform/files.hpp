// Files and directories: reading, creating new files, durable renames, permissions, temp dirs, free space.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

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
    // The next read starts `offset` bytes into the file.
    void seek(std::uint64_t offset);
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
    intptr_t handle_ = -1;
};

// An existing file changed in place at given offsets (a restore's temp copy getting replayed pages).
class PatchFile {
public:
    explicit PatchFile(const fs::path& path);
    PatchFile(const PatchFile&) = delete;
    PatchFile& operator=(const PatchFile&) = delete;
    ~PatchFile();

    void write_at(std::uint64_t offset, const void* data, std::size_t size);
    void resize(std::uint64_t size);
    void sync();
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
    intptr_t handle_ = -1;
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

// Appends `bytes` to the file (created owner-only if missing) and flushes it to stable storage.
void append_to_file(const fs::path& path, std::string_view bytes);

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
// Restricts `path` to its owner: mode 0600 / 0700; on Windows a protected DACL of the user, SYSTEM (the Task
// Scheduler's account) and Administrators.
void make_owner_only(const fs::path& path);
// Whether only those may read `path`: no group or other bits; on Windows no allow entry for anyone else.
bool is_owner_only(const fs::path& path);
// A new owner-only directory `<parent>/<prefix>XXXXXX` with a unique random suffix, so no other user can
// have prepared it in advance.
fs::path create_private_temp_directory(const fs::path& parent, const std::string& prefix);
// Bytes available to this user on the volume holding `path`.
std::uint64_t free_space(const fs::path& path);

}  // namespace soniabk::platform
