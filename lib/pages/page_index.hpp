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

// Every indexed page of one id kind, in memory (about 70 bytes a page: 9 MB for a 500 MB database).
class PageIndex {
public:
    // Reads every index object of `kind`; a damaged one throws naming it.
    static PageIndex load(const storage::Storage& storage, IdKind kind);

    const PageLocation* find(const PageId& id) const;
    void add_pack(const PackIndex& index);

    const std::vector<PackInfo>& packs() const { return packs_; }
    const std::vector<BlockLocation>& blocks() const { return blocks_; }
    std::size_t page_count() const { return pages_.size(); }

private:
    std::vector<PackInfo> packs_;
    std::vector<BlockLocation> blocks_;
    std::unordered_map<PageId, PageLocation, PageIdHash> pages_;
};

}  // namespace soniabk::pages
