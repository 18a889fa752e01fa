// Private scratch directories in the system temp directory (TMPDIR), removed with their content afterwards.
#pragma once

#include <filesystem>
#include <string>

namespace soniabk {

class ScratchDirectory {
public:
    // Creates `<temp>/<prefix>-<pid>-XXXXXX`, owner-only, after removing the ones of the same prefix that
    // processes killed before they could clean up left behind (they may hold plaintext of encrypted backups).
    explicit ScratchDirectory(const std::string& prefix);
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    ~ScratchDirectory();

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace soniabk
