#include "io/atomic_file.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/processes.hpp"
#include "platform/errors.hpp"

#include <fmt/format.h>

#include <string>

namespace soniabk {

fs::path temp_path_for(const fs::path& target) {
    const std::string name = "." + target.filename().string() + ".tmp-" + std::to_string(platform::current_process_id());
    return target.parent_path() / name;
}

bool is_temp_name(const fs::path& path) {
    const std::string name = path.filename().string();
    return name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos;
}

std::optional<int> temp_owner_pid(const fs::path& path) {
    if (!is_temp_name(path)) return std::nullopt;
    const std::string name = path.filename().string();
    const std::string digits = name.substr(name.rfind(".tmp-") + 5);
    int pid = 0;
    std::size_t used = 0;
    for (; used < digits.size() && digits[used] >= '0' && digits[used] <= '9' && pid < 100'000'000; ++used) {
        pid = pid * 10 + (digits[used] - '0');
    }
    if (used == 0 || pid <= 0 || (used < digits.size() && digits[used] != '-')) return std::nullopt;
    return pid;
}

void publish(const fs::path& temp, const fs::path& target) {
    platform::sync_file(temp);
    fault::point("publish.before_rename");
    platform::atomic_replace(temp, target);
    platform::sync_directory(target.parent_path().empty() ? fs::path(".") : target.parent_path());
}

AtomicFile::AtomicFile(fs::path target)
    : target_(std::move(target)), temp_(temp_path_for(target_)), out_(platform::OutputFile::create_new(temp_.path())) {}

void AtomicFile::commit() {
    out_.sync();
    out_.close();
    fault::point("publish.before_rename");
    platform::atomic_replace(out_.path(), target_);
    temp_.release();
    platform::sync_directory(target_.parent_path().empty() ? fs::path(".") : target_.parent_path());
}

void write_file_atomically(const fs::path& target, std::string_view content) {
    AtomicFile file(target);
    file.out().write(content.data(), content.size());
    file.commit();
}

void create_file_atomically(const fs::path& target, std::string_view content) {
    const fs::path temp = temp_path_for(target);
    try {
        auto out = platform::OutputFile::create_new(temp);
        out.write(content.data(), content.size());
        out.sync();
        out.close();
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    // A hard link, unlike a rename, fails instead of replacing; filesystems without links fall back to a
    // check then a rename.
    std::error_code ec;
    fs::create_hard_link(temp, target, ec);
    if (ec && ec != std::errc::file_exists && !fs::exists(target)) {
        ec.clear();
        platform::atomic_replace(temp, target);
    }
    std::error_code ignored;
    fs::remove(temp, ignored);
    if (ec == std::errc::file_exists || (ec && fs::exists(target))) {
        throw runtime_error(ErrorCode::exists, fmt::format("{}: already exists; soniabk never replaces it", target.string()),
                            target);
    }
    if (ec) throw io_error("create", target, platform::errno_of(ec));
    platform::sync_directory(target.parent_path().empty() ? fs::path(".") : target.parent_path());
}

}  // namespace soniabk
