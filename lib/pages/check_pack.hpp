// Reading packs back whole: the bytes against their index object's size and SHA-256, and (with the store's
// keys, or in a plain store) every block decoded and every page against its id.
#pragma once

#include "pages/page_index.hpp"
#include "pages/page_keys.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace soniabk::pages {

// The pack's bytes when they are what its index says; nothing when it is missing, short or different.
std::optional<std::string> read_checked_pack(const storage::Storage& storage, const PackIndex& index);

struct PackCheck {
    std::uint64_t bytes_read = 0;
    std::uint64_t pages_checked = 0;  // 0 when the pages could not be decoded (an encrypted store, no key)
};

// Checks the pack `name` as above; damage throws `backup_damaged` naming the pack. `keys` is the store's
// when the pack holds keyed ids; without them only the bytes are checked.
PackCheck check_pack(const storage::Storage& storage, const std::string& name, const PageStoreKeys* keys);

}  // namespace soniabk::pages
