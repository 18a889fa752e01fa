#include "repo/extract.hpp"

#include "repo/read_backup.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/stream.hpp"

#include <fmt/format.h>

#include <vector>

namespace soniabk {

namespace {

// The manifest's promise about the data file, or the reason it cannot be kept.
void require_match(const BackupEntry& entry, const FileDigest& digest) {
    const Manifest& m = *entry.manifest;
    if (digest.size_bytes != m.size_bytes) {
        throw check_failed(ErrorCode::backup_damaged,
                           fmt::format("{}: backup {} is {} bytes, its manifest says {}", entry.data_path.string(),
                                       m.backup_id, digest.size_bytes, m.size_bytes),
                           entry.data_path);
    }
    if (digest.sha256 != m.sha256) {
        throw check_failed(ErrorCode::backup_damaged,
                           fmt::format("{}: backup {} has SHA-256 {}, its manifest says {}", entry.data_path.string(),
                                       m.backup_id, digest.sha256, m.sha256),
                           entry.data_path);
    }
}

void require_complete(const BackupEntry& entry) {
    if (!entry.is_complete()) {
        throw check_failed(ErrorCode::backup_incomplete, fmt::format("{}: {}", entry.data_path.string(), entry.problem),
                           entry.data_path);
    }
}

}  // namespace

FileDigest extract_verified(const BackupEntry& entry, const fs::path& destination, const KeyOptions& keys,
                            Progress& progress) {
    require_complete(entry);
    if (entry.manifest->is_encoded()) {
        return decode_backup_to_file(entry, DecodeOptions{keys, true}, destination, progress).stored;
    }
    const auto in = entry.storage->open(entry.data_key);
    progress.begin("copy", entry.manifest->size_bytes);
    // write_new_file removes the copy when anything throws, a mismatch included: no damaged copy is left.
    const FileDigest digest = write_new_file(destination, [&](ByteSink& out) {
        Sha256 sha;
        FileDigest copied;
        std::vector<char> buffer(stream_chunk_bytes);
        while (const std::size_t n = in->read(buffer.data(), buffer.size())) {
            sha.update(buffer.data(), n);
            out.write(buffer.data(), n);
            copied.size_bytes += n;
            progress.advance(copied.size_bytes);
            fault::point("extract.chunk");
        }
        copied.sha256 = sha.hex_digest();
        require_match(entry, copied);
        return copied;
    });
    progress.end();
    return digest;
}

FileDigest verify_in_place(const BackupEntry& entry, Progress& progress) {
    require_complete(entry);
    progress.begin("hash", entry.manifest->size_bytes);
    const auto in = entry.storage->open(entry.data_key);
    const FileDigest digest = hash_stream(*in, in->size());
    progress.end();
    require_match(entry, digest);
    return digest;
}

}  // namespace soniabk
