#include "storage/storage.hpp"

#include "base/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hash.hpp"

#include <fmt/format.h>

namespace soniabk::storage {

std::string_view to_string(Capability capability) {
    switch (capability) {
        case Capability::atomic_rename: return "atomic_rename";
        case Capability::directory_sync: return "directory_sync";
        case Capability::hard_links: return "hard_links";
        case Capability::conditional_create: return "conditional_create";
        case Capability::local_paths: return "local_paths";
        case Capability::append: return "append";
        case Capability::checked_uploads: return "checked_uploads";
        case Capability::stored_digests: return "stored_digests";
    }
    return "unknown";
}

// A key names a file below the root: relative, no `..`, no empty or hidden-temp component; '/' separates, and no
// '\\' or ':' lets a key name a drive or another root on Windows ("/x" has a root there, yet is not absolute).
void require_valid_key(std::string_view key) {
    const fs::path path(key);
    bool valid = !key.empty() && !path.has_root_path() && key.find_first_of("\\:") == std::string_view::npos &&
                 !key.ends_with('/');
    for (const auto& part : path) valid = valid && part != ".." && part != "." && !is_temp_name(part);
    if (!valid) throw usage_error(fmt::format("'{}' is not a valid object key", key));
}

std::string Storage::read_all(std::string_view key) const {
    const auto reader = open(key);
    std::string content(static_cast<std::size_t>(reader->size()), '\0');
    content.resize(read_fully(*reader, content.data(), content.size()));
    return content;
}

void Storage::write_all(std::string_view key, std::string_view content, Overwrite overwrite) {
    const auto object = create(key, overwrite);
    if (has(Capability::stored_digests)) object->set_sha256(sha256_hex(content));
    object->sink().write(content.data(), content.size());
    object->sink().finish();
    object->publish();
}

}  // namespace soniabk::storage
