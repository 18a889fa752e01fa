#include "repo/page_backups.hpp"

#include "base/wording.hpp"
#include "pages/rebuild.hpp"

#include <fmt/format.h>

namespace soniabk {

bool is_page_backup(const BackupEntry& entry) { return entry.manifest && entry.manifest->pages.has_value(); }

pages::MapRef map_ref_of(const BackupEntry& entry) {
    return {entry.data_key, FileDigest{entry.manifest->sha256, entry.manifest->size_bytes}};
}

std::optional<pages::PageStoreKeys> page_keys_of(const BackupEntry& entry, const KeyOptions& keys) {
    if (!entry.manifest->encryption) return std::nullopt;
    return pages::page_keys_for_reading(*entry.storage, keys);
}

DecodeReport rebuild_page_backup(const BackupEntry& entry, const KeyOptions& keys, ByteSink& out) {
    const auto page_keys = page_keys_of(entry, keys);
    const pages::RebuildReport rebuilt = pages::rebuild_database(*entry.storage, map_ref_of(entry),
                                                                 page_keys ? &*page_keys : nullptr, *entry.manifest->content, out);
    DecodeReport report;
    report.stored = FileDigest{entry.manifest->sha256, entry.manifest->size_bytes};
    report.output_bytes = rebuilt.bytes;
    report.chunks = rebuilt.blocks_read;
    report.content_check = page_keys ? "hmac_sha256" : "sha256";
    return report;
}

std::string check_page_backup(const BackupEntry& entry, const KeyOptions& keys) {
    const auto page_keys = page_keys_of(entry, keys);
    const std::uint64_t packs = pages::check_reachable(*entry.storage, map_ref_of(entry), page_keys ? &*page_keys : nullptr);
    return fmt::format("page map and its {} reachable in {}", count_of(entry.manifest->pages->page_count, "page"),
                       count_of(packs, "pack"));
}

}  // namespace soniabk
