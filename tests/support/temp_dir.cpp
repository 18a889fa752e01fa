#include "temp_dir.hpp"

#include "base/environment.hpp"

#include "platform/files.hpp"

#include <fstream>
#include <sstream>

namespace soniabk::test {

TempDir::TempDir()
    : path_(platform::create_private_temp_directory(std::filesystem::temp_directory_path(), "soniabk-test-")) {}

TempDir::~TempDir() {
    if (!environment("SONIABK_KEEP_TEST_DIRS").empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

void flip_byte(const std::filesystem::path& path, std::uint64_t offset) {
    std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x01));
}

std::vector<std::string> temps_below(const std::filesystem::path& dir) {
    std::vector<std::string> temps;
    for (const auto& item : std::filesystem::recursive_directory_iterator(dir)) {
        if (item.path().filename().string().find(".tmp-") != std::string::npos) temps.push_back(item.path().string());
    }
    return temps;
}

}  // namespace soniabk::test
