// A page-store backup of a live database: its pages read in one read transaction, new ones packed,
// then its page map published. The caller's manifest goes last.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "codec/stored_format.hpp"
#include "pages/page_map.hpp"
#include "sqlite/page_reader.hpp"
#include "storage/storage.hpp"

#include <optional>
#include <string>

namespace soniabk::pages {

struct PageBackupRequest {
    fs::path source;
    std::string map_key;  // where the page map goes (a new key)
    Duration busy_timeout = std::chrono::seconds(10);
    CheckMode check = CheckMode::quick;
    int zstd_level = 3;
    const PageStoreKeys* keys = nullptr;  // encrypted repositories
    std::optional<MapRef> parent;         // the previous backup's map, to store only the changes
    Progress* progress = &no_progress();  // pages read, against the database file's size
};

struct PageBackupResult {
    PageSnapshot snapshot;
    ContentInfo content;  // the database file the map rebuilds: size, SHA-256 (plain) or HMAC (encrypted)
    FileDigest map;       // the stored map object
    std::uint64_t pages_new = 0;
    std::uint64_t stored_bytes_added = 0;  // packs, index objects and the map
    std::uint64_t packs_added = 0;
    int map_depth = 0;
    bool parent_used = false;
};

// Throws `check_failed` when the snapshot fails its check; the packs written by then stay unreferenced.
PageBackupResult write_page_backup(storage::Storage& storage, const PageBackupRequest& request);

}  // namespace soniabk::pages
