// A backup's page map: page number -> page id, stored as one block, either whole or as the changes
// against its parent backup's map (which it names by key and SHA-256).
#pragma once

#include "io/hash.hpp"
#include "pages/page_id.hpp"
#include "pages/page_keys.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soniabk::pages {

// A full map is written instead of a delta once the chain behind it would grow longer than this.
inline constexpr int max_map_depth = 15;

struct PageMap {
    std::uint32_t page_size = 0;
    std::vector<PageId> pages;  // page N at [N - 1]
    int depth = 0;              // deltas between this map and the full map it builds on
};

// A stored map object and what it must hash to (size 0: unknown, only the SHA-256 is checked).
struct MapRef {
    std::string key;
    FileDigest stored;
};

struct ParentMap {
    MapRef ref;
    PageMap map;
};

// The plain bytes of a map object: a delta against `parent` when given and the chain stays short enough.
std::string serialize_page_map(const PageMap& map, const ParentMap* parent);
// One map object's plain bytes, checked and decoded; a delta's parent is named, not resolved.
struct MapObject {
    bool delta = false;
    int depth = 0;
    std::uint32_t page_size = 0;
    std::uint64_t page_count = 0;
    MapRef parent;  // delta only: its key and the SHA-256 of its stored object
    std::vector<std::pair<std::uint32_t, PageId>> entries;  // page number (from 1), id
};
MapObject parse_map_object(std::string_view plain, const fs::path& origin);
// Reads, checks and decodes a map object and the chain of parents it builds on.
PageMap load_page_map(const storage::Storage& storage, const MapRef& ref, const PageStoreKeys* keys);
// Reads and checks one stored object against `expected`, whole.
std::string read_checked(const storage::Storage& storage, const MapRef& ref);

}  // namespace soniabk::pages
