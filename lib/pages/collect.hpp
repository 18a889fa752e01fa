// Garbage collection of the page store: packs none of whose pages a kept backup needs are removed, and packs
// mostly unneeded are rewritten with only the pages still needed: blocks wholly needed are copied as stored,
// the needed pages of the others re-encoded into new blocks. Call under the repository lock.
#pragma once

#include "pages/page_index.hpp"
#include "pages/page_keys.hpp"
#include "storage/storage.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace soniabk::pages {

using PageIdSet = std::unordered_set<PageId, PageIdHash>;

// A pack is rewritten once this share of its stored bytes (in tenths) is pages no backup needs.
inline constexpr std::uint64_t rewrite_unneeded_tenths = 2;

enum class CollectMode { apply, plan_only };
// Whether the pages of a block can be decoded: without the seal key, partly needed blocks stay whole.
enum class Decoding { available, unavailable };

struct PackCollection {
    std::uint64_t packs_removed = 0;      // no block needed: pack and index object removed
    std::uint64_t packs_rewritten = 0;    // replaced by new packs holding their needed blocks
    std::uint64_t packs_written = 0;      // the new packs
    std::uint64_t orphans_removed = 0;    // packs no index object names (left by a killed writer)
    std::uint64_t bytes_removed = 0;      // packs and index objects removed
    std::uint64_t bytes_written = 0;      // packs and index objects written
    std::uint64_t unneeded_bytes = 0;     // before collecting: stored bytes of pages and orphans nobody needs
    std::vector<std::string> damaged;     // packs left alone: unreadable, or not what their index says

    void add(const PackCollection& other);
    Json to_json() const;
};

// Collects the packs of `kind` so that every page in `needed` stays in a kept block. A kill at any instant
// leaves every needed page reachable: new packs and their index objects are published before an old index
// object goes, and an index object goes before its pack. `keys`: the store's, for keyed ids (may be null).
PackCollection collect_packs(storage::Storage& storage, IdKind kind, const PageIdSet& needed, const PageStoreKeys* keys,
                             CollectMode mode);

// Removes packs that no index object names; whatever their id kind, no page of theirs is reachable.
PackCollection remove_orphan_packs(storage::Storage& storage, CollectMode mode);

}  // namespace soniabk::pages
