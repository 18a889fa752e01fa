// Pages by id out of one page store's packs: recently decoded blocks cached, every page checked against its id.
#pragma once

#include "pages/block_codec.hpp"
#include "pages/page_index.hpp"
#include "pages/page_map.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <list>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

namespace soniabk::pages {

class PageFetcher {
public:
    // `index` and `keys` (null in a plain store) must outlive the fetcher.
    PageFetcher(const storage::Storage& storage, const PageIndex& index, const PageStoreKeys* keys);

    // Page `number` (from 1) of the map `map`, whose id is `id`: its bytes, valid until the next call. A page in
    // no pack, a damaged block or a page that does not match its id throws `backup_damaged` naming the object.
    std::span<const unsigned char> page(const PageId& id, std::size_t number, const MapRef& map);
    std::uint64_t blocks_read() const { return reads_; }
    const storage::Storage& storage() const { return storage_; }

private:
    const std::vector<unsigned char>& block(std::uint32_t number);
    bool read_at(std::uint32_t pack, const std::string& key, std::uint64_t offset, std::string& out);

    // An open pack and how far it has been read: blocks are mostly wanted in pack order, and a storage
    // reader only moves forward, so each pack is read about once instead of once per block.
    struct Cursor {
        std::unique_ptr<storage::ObjectReader> reader;
        std::uint64_t position = 0;
    };

    const storage::Storage& storage_;
    const PageIndex& index_;
    PageHasher hasher_;
    BlockDecoder decoder_;
    std::unordered_map<std::uint32_t, Cursor> cursors_;
    std::list<std::pair<std::uint32_t, std::vector<unsigned char>>> cache_;  // most recent first
    std::uint64_t reads_ = 0;
};

// The id kind of a store with these keys (null: a plain store).
IdKind id_kind_of(const PageStoreKeys* keys);

}  // namespace soniabk::pages
