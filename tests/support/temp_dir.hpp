// A fresh directory per test, removed afterwards (kept when SONIABK_KEEP_TEST_DIRS is set).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace soniabk::test {

class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);
// Damages one byte in place (its lowest bit flipped), even in a read-only file, as bit rot would.
void flip_byte(const std::filesystem::path& path, std::uint64_t offset);
// The temporary files (".tmp-" in the name) anywhere below `dir`: what an interrupted write leaves behind.
std::vector<std::string> temps_below(const std::filesystem::path& dir);

}  // namespace soniabk::test
