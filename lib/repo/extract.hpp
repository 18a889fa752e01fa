// Extracting a stored backup: one streaming pass both copies it into a new file and proves its SHA-256.
#pragma once

#include "io/hash.hpp"
#include "codec/keys.hpp"
#include "base/progress.hpp"
#include "repo/repository.hpp"

#include <filesystem>

namespace soniabk {

// Streams the data file of the complete backup `entry` into `destination` (which must not exist),
// hashing every byte on the way, and fsyncs it. When the size or SHA-256 differs from the manifest it
// removes `destination` and throws check_failed "backup_damaged" naming the backup, so a damaged backup
// never leaves a copy that could be mistaken for a good one. Reports progress as phase "copy".
// A compressed or encrypted backup is decoded on the fly into `destination` (no second temp copy), with
// `keys` when encrypted; then the stored SHA-256, every chunk and the content digest are proven, and a
// failure throws decode_stored's error (wrong_key, tampered, sha256_mismatch, ...), `destination` removed.
// Returns the stored file's digest either way.
FileDigest extract_verified(const BackupEntry& entry, const fs::path& destination, const KeyOptions& keys = {},
                            Progress& progress = no_progress());

// Hashes the backup in place and throws like extract_verified when it does not match (dry runs).
FileDigest verify_in_place(const BackupEntry& entry, Progress& progress = no_progress());

}  // namespace soniabk
