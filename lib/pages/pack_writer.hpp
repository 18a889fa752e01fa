// Writes new pages into immutable packs: pages gather into blocks (~256 KiB), blocks into a pack
// (~16 MiB stored); a full pack is published, then its index object, then it joins the in-memory index.
#pragma once

#include "pages/block_codec.hpp"
#include "pages/page_index.hpp"
#include "storage/storage.hpp"

#include <memory>
#include <unordered_set>
#include <vector>

namespace soniabk::pages {

inline constexpr std::size_t block_target_bytes = std::size_t{256} << 10;
inline constexpr std::uint64_t pack_target_bytes = std::uint64_t{16} << 20;

struct PackStats {
    std::uint64_t pages = 0;         // pages stored
    std::uint64_t stored_bytes = 0;  // packs and index objects written
    std::uint64_t packs = 0;
};

class PackWriter {
public:
    PackWriter(storage::Storage& storage, PageIndex& index, IdKind kind, int zstd_level, const PageStoreKeys* keys);
    PackWriter(const PackWriter&) = delete;
    PackWriter& operator=(const PackWriter&) = delete;
    ~PackWriter();

    // True when the page is stored already or waits in the pack being written.
    bool has(const PageId& id) const { return index_.find(id) != nullptr || pending_.contains(id); }
    void add(const PageId& id, const unsigned char* data, std::size_t size);
    // Publishes what is pending; nothing is written after this.
    void finish();
    const PackStats& stats() const { return stats_; }

private:
    void flush_block();
    void seal_pack();

    storage::Storage& storage_;
    PageIndex& index_;
    BlockEncoder encoder_;
    PackIndex pack_;
    std::unique_ptr<storage::NewObject> object_;
    std::unique_ptr<DigestSink> digest_;  // hashes what goes into object_
    std::uint64_t written_ = 0;
    std::vector<unsigned char> block_;
    IndexedBlock block_pages_;
    std::unordered_set<PageId, PageIdHash> pending_;
    PackStats stats_;
};

}  // namespace soniabk::pages
