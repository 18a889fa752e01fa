// The index: which block of which pack holds each page. One index object per pack
// (`pages/index/<pack>.idx`, published after its pack), and in memory the union of all of them.
#pragma once

#include "io/hash.hpp"
#include "pages/page_id.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace soniabk::pages {

inline constexpr std::string_view packs_prefix = "pages/packs/";
inline constexpr std::string_view index_prefix = "pages/index/";

std::string pack_key(const std::string& pack_name);   // pages/packs/<name>.pack
std::string index_key(const std::string& pack_name);  // pages/index/<name>.idx

struct IndexedPage {
    PageId id{};
    std::uint32_t size = 0;  // bytes of the page in its block's plain form
};

struct IndexedBlock {
    std::uint64_t offset = 0;       // in the pack
    std::uint32_t stored_size = 0;  // bytes of the block in the pack
    std::vector<IndexedPage> pages;  // in block order; a page starts where the previous one ends
};

// One pack's index object.
struct PackIndex {
    IdKind kind = IdKind::sha256;
    std::string pack_name;
    FileDigest pack;  // size and SHA-256 of the pack object
    std::vector<IndexedBlock> blocks;
};

std::string serialize_pack_index(const PackIndex& index);
PackIndex parse_pack_index(std::string_view bytes, const std::string& pack_name, const fs::path& origin);

struct PageLocation {
    std::uint32_t block = 0;   // into PageIndex::blocks
    std::uint32_t offset = 0;  // of the page in the block's plain bytes
    std::uint32_t size = 0;
};

struct BlockLocation {
    std::uint32_t pack = 0;  // into PageIndex::packs
    std::uint64_t offset = 0;
    std::uint32_t stored_size = 0;
};

struct PackInfo {
    std::string name;
    FileDigest digest;
};

// Every indexed page of one id kind, in memory: the pages load() read in one sorted array (44 bytes a page:
// 23 MB for a 2 GB database), the packs published since in a hash map.
class PageIndex {
public:
    // Reads every index object of `kind`; a damaged one throws naming it.
    static PageIndex load(const storage::Storage& storage, IdKind kind);

    const PageLocation* find(const PageId& id) const;
    void add_pack(const PackIndex& index);

    const std::vector<PackInfo>& packs() const { return packs_; }
    const std::vector<BlockLocation>& blocks() const { return blocks_; }
    std::size_t page_count() const { return loaded_.size() + added_.size(); }

private:
    using Entry = std::pair<PageId, PageLocation>;
    // Appends the pack's blocks, and calls `page` with each page's id and location.
    template <class OnPage>
    void add_blocks(const PackIndex& index, OnPage&& page);

    std::vector<PackInfo> packs_;
    std::vector<BlockLocation> blocks_;
    std::vector<Entry> loaded_;  // sorted by id; the first pack read holds a page found twice
    std::unordered_map<PageId, PageLocation, PageIdHash> added_;
};

}  // namespace soniabk::pages
