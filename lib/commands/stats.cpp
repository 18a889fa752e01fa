#include "commands/stats.hpp"

#include "commands/list.hpp"
#include "pages/page_index.hpp"

namespace soniabk {

Json BackupStats::to_json() const {
    return {{"backup_id", backup_id},         {"kind", kind},           {"format", format},
            {"timestamp", format_iso8601(time)}, {"logical_bytes", logical_bytes}, {"added_bytes", added_bytes}};
}

Json PageStoreStats::to_json() const {
    return {{"packs", packs},
            {"pack_bytes", pack_bytes},
            {"index_bytes", index_bytes},
            {"unneeded_bytes", unneeded_bytes ? Json(*unneeded_bytes) : Json(nullptr)},
            {"skipped", skipped}};
}

double StatsResult::dedup_ratio() const {
    return stored_bytes == 0 ? 0.0 : static_cast<double>(logical_bytes) / static_cast<double>(stored_bytes);
}

Json StatsResult::to_json() const {
    Json list = Json::array();
    for (const auto& b : backups) list.push_back(b.to_json());
    return {{"ok", true},
            {"backup_count", backups.size()},
            {"logical_bytes", logical_bytes},
            {"stored_bytes", stored_bytes},
            {"dedup_ratio", dedup_ratio()},
            {"pages", pages ? pages->to_json() : Json(nullptr)},
            {"backups", list}};
}

namespace {

PageStoreStats page_store_stats(const Repository& repo, const std::vector<const BackupEntry*>& all,
                                const KeyOptions& keys) {
    PageStoreStats stats;
    for (const auto& o : repo.storage().list(pages::packs_prefix)) {
        ++stats.packs;
        stats.pack_bytes += o.size_bytes;
    }
    for (const auto& o : repo.storage().list(pages::index_prefix)) stats.index_bytes += o.size_bytes;
    // What a collection would find unneeded if every backup stayed.
    const auto plan = collect_page_store(repo, all, keys, pages::CollectMode::plan_only);
    if (plan) {
        stats.skipped = plan->skipped;
        if (plan->skipped.empty()) stats.unneeded_bytes = plan->packs.unneeded_bytes;
    }
    return stats;
}

}  // namespace

StatsResult repository_stats(const StatsOptions& options) {
    const Repository repo = Repository::open(options.repo);
    // 1. One scan: every backup, and what each restores and added.
    const std::vector<BackupEntry> entries = repo.scan();
    StatsResult result;
    std::vector<const BackupEntry*> all;
    for (const BackupEntry& e : entries) {
        all.push_back(&e);
        if (!e.is_complete()) continue;
        const bool paged = e.manifest->pages.has_value();
        result.backups.push_back({e.id(), e.kind, paged ? "pages" : "files", e.time, logical_size(e).value_or(0),
                                  backup_size(e).value_or(0)});
        result.logical_bytes += result.backups.back().logical_bytes;
    }
    // 2. What the repository occupies, every object counted once.
    for (const auto& o : repo.storage().list("")) result.stored_bytes += o.size_bytes;
    // 3. The page store's own figures.
    if (!repo.storage().list("pages/").empty()) result.pages = page_store_stats(repo, all, options.keys);
    return result;
}

}  // namespace soniabk
