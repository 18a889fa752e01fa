// The keys of an encrypted page store, derived once per run from the repository's key and the salt in
// `pages/key.json`: the same for every backup, so equal pages get equal ids and are stored once.
#pragma once

#include "codec/crypto.hpp"
#include "codec/encode.hpp"
#include "storage/storage.hpp"

#include <optional>
#include <string_view>

namespace soniabk::pages {

inline constexpr std::string_view key_record_key = "pages/key.json";

struct PageStoreKeys {
    SecretBytes id_key;    // HMAC-SHA-256 key of page ids and of the database's content digest
    SecretBytes seal_key;  // master key of every sealed block and map (its header says key file)
};

// For a backup: none when `encoding` does not encrypt; otherwise the store's keys, writing
// `pages/key.json` (salt, key source, key check) on the first encrypted backup. A key other than the one
// the store was created with throws `wrong_key`.
std::optional<PageStoreKeys> page_keys_for_writing(storage::Storage& storage, const Encoding& encoding);
// For reading an encrypted page store with what `keys` offers.
PageStoreKeys page_keys_for_reading(const storage::Storage& storage, const KeyOptions& keys);

}  // namespace soniabk::pages
