#include "io/scratch.hpp"

#include "platform/files.hpp"
#include "platform/processes.hpp"

#include <charconv>

namespace soniabk {

namespace {

namespace fs = std::filesystem;

// Removes `<prefix>-<pid>-*` directories whose process is gone; never follows a symlink.
void remove_abandoned(const fs::path& temp, const std::string& prefix) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(temp, fs::directory_options::skip_permission_denied, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix + "-") || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
        int pid = 0;
        const char* begin = name.data() + prefix.size() + 1;
        const auto [end, parse] = std::from_chars(begin, name.data() + name.size(), pid);
        if (parse != std::errc() || *end != '-' || platform::process_exists(pid)) continue;
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

}  // namespace

ScratchDirectory::ScratchDirectory(const std::string& prefix) {
    std::error_code ec;
    remove_abandoned(fs::temp_directory_path(ec), prefix);
    const std::string own_prefix = prefix + "-" + std::to_string(platform::current_process_id()) + "-";
    path_ = platform::create_private_temp_directory(fs::temp_directory_path(), own_prefix);
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace soniabk
