// Writes pages into immutable packs: pages gather into blocks (~256 KiB), each encoded and handed to a
// PackBuilder, which publishes packs and their index objects (the builder may take stored blocks as well).
#pragma once

#include "pages/block_codec.hpp"
#include "pages/pack_builder.hpp"

#include <unordered_set>
#include <vector>

namespace soniabk::pages {

inline constexpr std::size_t block_target_bytes = std::size_t{256} << 10;

class PackWriter {
public:
    // `index`: the pages stored already (the builder's, when it has one).
    PackWriter(PackBuilder& packs, const PageIndex& index, int zstd_level, const PageStoreKeys* keys);

    // True when the page is stored already or waits in the pack being written.
    bool has(const PageId& id) const { return index_.find(id) != nullptr || pending_.contains(id); }
    void add(const PageId& id, const unsigned char* data, std::size_t size);
    // Hands the block being gathered to the builder (which still has to finish).
    void flush_block();

private:
    const PageIndex& index_;
    BlockEncoder encoder_;
    PackBuilder& packs_;
    std::vector<unsigned char> block_;
    IndexedBlock block_pages_;
    std::unordered_set<PageId, PageIdHash> pending_;  // pages added since the last published pack
};

}  // namespace soniabk::pages
