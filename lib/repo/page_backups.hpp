// Page-store backups as repository entries: their map and content digests from the manifest, applied
// to rebuilding and checking them (lib/pages does the work).
#pragma once

#include "codec/decode.hpp"
#include "pages/page_keys.hpp"
#include "pages/page_map.hpp"
#include "repo/repository.hpp"

#include <optional>
#include <string>

namespace soniabk {

bool is_page_backup(const BackupEntry& entry);
pages::MapRef map_ref_of(const BackupEntry& entry);
// The page store's keys when the backup is encrypted (throws like decoding for a missing or wrong key).
std::optional<pages::PageStoreKeys> page_keys_of(const BackupEntry& entry, const KeyOptions& keys);
// Streams the database the backup's map rebuilds into `out`, every page id and the file's digest checked.
DecodeReport rebuild_page_backup(const BackupEntry& entry, const KeyOptions& keys, ByteSink& out);
// The cheap check: map chain, index reachability, packs present; says how many packs it needs.
std::string check_page_backup(const BackupEntry& entry, const KeyOptions& keys);

}  // namespace soniabk
