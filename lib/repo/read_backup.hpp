// Reading a repository's backups back: the manifest's layout and digests applied to decoding its data.
#pragma once

#include "codec/decode.hpp"
#include "repo/manifest.hpp"
#include "repo/repository.hpp"

#include <filesystem>
#include <string>

namespace soniabk {

// From a manifest: every layer and digest it records.
StoredLayout layout_of(const Manifest& manifest);

// Settles the key of an encrypted backup from its header alone (a dry run's check): throws like
// decode_stored for a missing or wrong key; says what decoding will involve ("" for a plain backup).
std::string require_decodable(const BackupEntry& entry, const KeyOptions& keys);

// The entry point for restore and drill: decode_stored for a complete repository backup, plain or
// encoded, with the layout its manifest records.
DecodeReport decode_backup(const BackupEntry& entry, const DecodeOptions& options, ByteSink& out);

// decode_backup into the new file `dest` (which must not exist; put it beside its final place so the
// caller can rename it there): fsynced and closed when this returns, removed when it throws. `progress` hears
// the bytes written, in a phase named "rebuild" (page store) or "decode" sized by the manifest's content.
DecodeReport decode_backup_to_file(const BackupEntry& entry, const DecodeOptions& options, const fs::path& dest,
                                   Progress& progress = no_progress());

}  // namespace soniabk
