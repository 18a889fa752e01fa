#include "storage/storage.hpp"

namespace soniabk::storage {

std::string_view to_string(Capability capability) {
    switch (capability) {
        case Capability::atomic_rename: return "atomic_rename";
        case Capability::directory_sync: return "directory_sync";
        case Capability::hard_links: return "hard_links";
        case Capability::conditional_create: return "conditional_create";
        case Capability::local_paths: return "local_paths";
        case Capability::append: return "append";
    }
    return "unknown";
}

std::string Storage::read_all(std::string_view key) const {
    const auto reader = open(key);
    std::string content(static_cast<std::size_t>(reader->size()), '\0');
    content.resize(read_fully(*reader, content.data(), content.size()));
    return content;
}

void Storage::write_all(std::string_view key, std::string_view content, Overwrite overwrite) {
    const auto object = create(key, overwrite);
    object->sink().write(content.data(), content.size());
    object->sink().finish();
    object->publish();
}

}  // namespace soniabk::storage
