// The one guard for files written under a temp name: removed, with any SQLite side files, unless released.
#pragma once

#include <filesystem>

namespace soniabk {

class TempFile {
public:
    explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile();

    const std::filesystem::path& path() const { return path_; }
    // The file has been published (renamed away) or handed on: nothing to clean up any more.
    void release() { released_ = true; }

private:
    std::filesystem::path path_;
    bool released_ = false;
};

}  // namespace soniabk
