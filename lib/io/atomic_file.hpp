// Publishing files so that a crash at any instant leaves the old content or the new, never a part.
#pragma once

#include "io/temp_file.hpp"
#include "platform/files.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace soniabk {

namespace fs = std::filesystem;

// The hidden temp name a file is written under before it is published: `.<name>.tmp-<pid>`.
fs::path temp_path_for(const fs::path& target);
// True for names made by temp_path_for (leftovers of a killed process).
bool is_temp_name(const fs::path& path);
// The process that wrote a temp (`.<name>.tmp-<pid>[-<n>]`); nothing for any other name.
std::optional<int> temp_owner_pid(const fs::path& path);

// Makes a fully written temp file durable and gives it its final name: fsync the file,
// rename atomically, fsync the directory so the rename survives a power cut.
void publish(const fs::path& temp, const fs::path& target);

// A file written under a temp name and published on commit(); removed if never committed.
class AtomicFile {
public:
    explicit AtomicFile(fs::path target);
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    platform::OutputFile& out() { return out_; }
    void commit();

private:
    fs::path target_;
    TempFile temp_;  // before out_: the file is closed before an uncommitted temp is removed
    platform::OutputFile out_;
};

void write_file_atomically(const fs::path& target, std::string_view content);

// Like write_file_atomically, but never replaces: fails with code "exists" when `target` is already there.
void create_file_atomically(const fs::path& target, std::string_view content);

}  // namespace soniabk
