// Rebuilding the database file a page map describes, streamed page by page in order, every digest checked.
#pragma once

#include "codec/stored_format.hpp"
#include "io/stream.hpp"
#include "pages/page_map.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace soniabk::pages {

struct RebuildReport {
    std::uint64_t bytes = 0;
    std::uint64_t pages = 0;
    std::uint64_t blocks_read = 0;
};

// Streams the file that `map` rebuilds into `out` (finished at the end), checking every page's id
// against the page itself and the whole file against `expected` (SHA-256, or HMAC under the id key).
// A missing page, damaged block or mismatch throws naming the object; `out` holds trustworthy bytes only
// once this returns.
RebuildReport rebuild_database(const storage::Storage& storage, const MapRef& map, const PageStoreKeys* keys,
                               const ContentInfo& expected, ByteSink& out);

// The cheap check of one backup: its map chain reads and decodes, every page it needs is indexed, and
// every pack holding them exists with its indexed size. Returns the number of distinct packs it needs.
std::uint64_t check_reachable(const storage::Storage& storage, const MapRef& map, const PageStoreKeys* keys);

// The names of the packs holding the pages `map` (and the chain it builds on) needs, sorted; a page no
// index object holds throws `backup_damaged`.
std::vector<std::string> packs_needed(const storage::Storage& storage, const MapRef& map, const PageStoreKeys* keys);

}  // namespace soniabk::pages
