// `backup db --format pages`: the snapshot's pages into the page store, then its map, then the manifest.
#include "commands/backup.hpp"
#include "commands/backup_format.hpp"

#include "base/steps.hpp"
#include "base/wording.hpp"
#include "base/version.hpp"
#include "codec/compress.hpp"
#include "pages/page_backup.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// The newest complete page-store backup of the same database and encryption: the map to store changes against.
const BackupEntry* parent_backup(const std::vector<BackupEntry>& entries, const std::string& source, bool encrypted) {
    for (const BackupEntry& entry : entries) {  // newest first
        if (!entry.is_complete() || !is_page_backup(entry) || entry.kind != "db") continue;
        if (entry.manifest->source == source && entry.manifest->encryption.has_value() == encrypted) return &entry;
    }
    return nullptr;
}

Manifest page_manifest(const BackupDbOptions& options, const Encoding& encoding, const pages::PageBackupResult& stored,
                       const std::string& source, TimePoint created_at) {
    Manifest m;
    m.format_version = manifest_pages_format_version;
    m.backup_id = new_backup_id(created_at);
    m.kind = "db";
    m.label = options.label;
    m.created_at = created_at;
    m.source = source;
    m.method = "dbpage";
    m.size_bytes = stored.map.size_bytes;
    m.sha256 = stored.map.sha256;
    m.tool_version = tool_version;
    m.set_id = options.set_id;
    // Encrypted: no facts about the plaintext beyond its size, as for encrypted files.
    if (!encoding.encrypted()) m.database = stored.snapshot.info;
    m.check = stored.snapshot.check;
    m.content = stored.content;
    m.compression = CompressionInfo{"zstd", options.codec.zstd_level.value_or(default_zstd_level)};
    if (encoding.encrypted()) m.encryption = describe_encryption(*encoding.secret(), default_chunk_log2);
    PagesInfo info;
    info.map_depth = stored.map_depth;
    info.page_size = static_cast<std::uint64_t>(stored.snapshot.info.page_size);
    info.page_count = static_cast<std::uint64_t>(stored.snapshot.info.page_count);
    info.pages_new = stored.pages_new;
    info.stored_bytes_added = stored.stored_bytes_added;
    info.packs_added = stored.packs_added;
    m.pages = info;
    return m;
}

}  // namespace

BackupResult backup_into_pages(const BackupDbOptions& options, const Repository& repo, const Encoding& encoding,
                               const std::string& stem, TimePoint created_at) {
    const auto started = std::chrono::steady_clock::now();
    // 1. The store's keys (an encrypted store's first backup records its salt and key check).
    const std::optional<pages::PageStoreKeys> keys = pages::page_keys_for_writing(repo.storage(), encoding);
    // 2. The parent whose map this backup's map is a delta to, and the map's key.
    const std::string source = fs::absolute(options.db).lexically_normal().string();
    const std::vector<BackupEntry> entries = repo.scan();
    const BackupEntry* parent = parent_backup(entries, source, encoding.encrypted());
    const std::string key = repo.allocate_data_key("db", stem, page_map_extension, created_at);
    // 3. Pages, packs and index objects, then the map (lib/pages).
    pages::PageBackupRequest request;
    request.source = options.db;
    request.map_key = key;
    request.busy_timeout = options.busy_timeout;
    request.check = options.check;
    request.zstd_level = options.codec.zstd_level.value_or(default_zstd_level);
    request.keys = keys ? &*keys : nullptr;
    request.progress = options.progress;
    if (parent) request.parent = map_ref_of(*parent);
    StepTimer paging(*options.trace, "pages");
    const pages::PageBackupResult stored = pages::write_page_backup(repo.storage(), request);
    paging.done(StepOutcome::pass(fmt::format("{}, {} new; {} bytes stored in {}",
                                              count_of(static_cast<std::size_t>(stored.snapshot.info.page_count), "page"),
                                              stored.pages_new, stored.stored_bytes_added,
                                              count_of(stored.packs_added, "new pack"))));
    // 4. The manifest last: until it exists the map is an incomplete backup.
    Manifest manifest = page_manifest(options, encoding, stored, source, created_at);
    if (parent && stored.parent_used) manifest.pages->parent_backup_id = parent->id();
    manifest.file = fs::path(key).filename().string();
    manifest.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    StepTimer describing(*options.trace, "manifest");
    const std::string manifest_key = write_manifest(repo.storage(), key, manifest);
    describing.done(StepOutcome::pass(manifest.backup_id));
    return {std::move(manifest), repo.storage().location(key), repo.storage().location(manifest_key)};
}

}  // namespace soniabk
