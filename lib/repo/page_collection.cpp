#include "repo/page_collection.hpp"

#include "base/error.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

#include <map>

namespace soniabk {

std::uint64_t PageStoreCollection::freed_bytes() const {
    return packs.bytes_removed > packs.bytes_written ? packs.bytes_removed - packs.bytes_written : 0;
}

Json PageStoreCollection::to_json() const {
    Json j = packs.to_json();
    j["skipped"] = skipped;
    return j;
}

namespace {

struct KindPlan {
    std::vector<const BackupEntry*> backups;
    std::string skipped;  // set when the pages this kind needs cannot be known
};

std::string_view kind_name(pages::IdKind kind) { return kind == pages::IdKind::sha256 ? "plain" : "encrypted"; }

struct NeededPages {
    pages::PageIdSet pages;
    std::optional<pages::PageStoreKeys> keys;  // the store's, when its backups are encrypted
};

// Every page the backups of one kind need: the union of their maps. Nothing when one cannot be read.
std::optional<NeededPages> needed_pages(const KindPlan& plan, const KeyOptions& keys, std::string& skipped) {
    NeededPages needed;
    try {
        for (const BackupEntry* entry : plan.backups) {
            if (!needed.keys && entry->manifest->encryption) needed.keys = page_keys_of(*entry, keys);
            const pages::PageMap map =
                pages::load_page_map(*entry->storage, map_ref_of(*entry), needed.keys ? &*needed.keys : nullptr);
            needed.pages.insert(map.pages.begin(), map.pages.end());
        }
    } catch (const Error& e) {
        skipped = e.what();
        return std::nullopt;
    }
    return needed;
}

}  // namespace

std::optional<PageStoreCollection> collect_page_store(const Repository& repo,
                                                      const std::vector<const BackupEntry*>& remaining,
                                                      const KeyOptions& keys, pages::CollectMode mode) {
    storage::Storage& store = repo.storage();
    if (store.list(pages::packs_prefix).empty() && store.list(pages::index_prefix).empty()) return std::nullopt;
    // 1. The backups whose maps decide what stays, by id kind. A map whose manifest is unreadable needs
    //    pages nobody can name: nothing is collected then.
    std::map<pages::IdKind, KindPlan> kinds{{pages::IdKind::sha256, {}}, {pages::IdKind::hmac_sha256, {}}};
    std::string unknown;
    for (const BackupEntry* entry : remaining) {
        if (!entry->data_key.ends_with(".pagemap")) continue;
        if (entry->status == BackupEntry::Status::invalid_manifest) {
            unknown = fmt::format("{}: unreadable manifest, the pages its map needs are unknown", entry->manifest_path.string());
        }
        if (!is_page_backup(*entry)) continue;
        kinds[entry->manifest->encryption ? pages::IdKind::hmac_sha256 : pages::IdKind::sha256].backups.push_back(entry);
    }
    PageStoreCollection result;
    if (!unknown.empty()) {
        result.skipped.push_back(unknown);
        return result;
    }
    // 2. Packs of each kind whose pages are all known; packs no index names whatever the kind.
    for (auto& [kind, plan] : kinds) {
        std::string why;
        const std::optional<NeededPages> needed = needed_pages(plan, keys, why);
        if (!needed) {
            result.skipped.push_back(fmt::format("{} pages not collected: {}", kind_name(kind), why));
            continue;
        }
        const pages::PageStoreKeys* page_keys = needed->keys ? &*needed->keys : nullptr;
        result.packs.add(pages::collect_packs(store, kind, needed->pages, page_keys, mode));
    }
    result.packs.add(pages::remove_orphan_packs(store, mode));
    return result;
}

}  // namespace soniabk
