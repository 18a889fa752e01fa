#include "commands/list.hpp"

#include <optional>

namespace soniabk {

std::optional<std::uint64_t> logical_size(const BackupEntry& entry) {
    if (entry.manifest && entry.manifest->content) return entry.manifest->content->size_bytes;
    return backup_size(entry);
}

std::optional<std::uint64_t> backup_size(const BackupEntry& entry) {
    // A page-store backup's own map is small: what it stored is the pages it added, their packs and index.
    if (entry.manifest && entry.manifest->pages) return entry.manifest->pages->stored_bytes_added;
    if (entry.manifest) return entry.manifest->size_bytes;
    const auto stored = entry.storage->stat(entry.data_key);
    return stored ? std::optional<std::uint64_t>(stored->size_bytes) : std::nullopt;
}

Json entry_to_json(const BackupEntry& entry) {
    const auto bytes = backup_size(entry);
    Json size = bytes ? Json(*bytes) : Json(nullptr);
    return {{"backup_id", entry.id()},
            {"short_id", short_id(entry.id())},
            {"kind", entry.kind},
            {"label", entry.manifest ? Json(entry.manifest->label) : Json(nullptr)},
            {"timestamp", format_iso8601(entry.time)},
            {"size_bytes", size},
            {"source", entry.manifest ? Json(entry.manifest->source) : Json(nullptr)},
            {"logical_size_bytes", logical_size(entry) ? Json(*logical_size(entry)) : Json(nullptr)},
            {"format", entry.manifest ? Json(entry.manifest->pages ? "pages" : "files") : Json(nullptr)},
            {"path", entry.data_path.string()},
            {"status", to_string(entry.status)},
            {"complete", entry.is_complete()},
            {"problem", entry.problem.empty() ? Json(nullptr) : Json(entry.problem)},
            {"set_id", entry.manifest && !entry.manifest->set_id.empty() ? Json(entry.manifest->set_id) : Json(nullptr)}};
}

Json ListResult::to_json() const {
    Json list = Json::array();
    for (const auto& entry : backups) list.push_back(entry_to_json(entry));
    Json sets_json = Json::array();
    for (const auto& set : sets) sets_json.push_back(set.to_json());
    return {{"ok", true}, {"backups", list}, {"sets", sets_json}};
}

ListResult list_backups(const ListOptions& options) {
    ListResult result;
    std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    result.sets = find_sets(entries);
    for (auto& entry : entries) {
        if (!options.kind.empty() && entry.kind != options.kind) continue;
        if (!options.label.empty() && entry.label() != options.label) continue;
        result.backups.push_back(std::move(entry));
    }
    return result;
}

}  // namespace soniabk
