#include "repo/extract.hpp"

#include "repo/read_backup.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/files.hpp"

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

// Removes a partial or refused copy unless it was released as good.
class CopyGuard {
public:
    explicit CopyGuard(fs::path path) : path_(std::move(path)) {}
    CopyGuard(const CopyGuard&) = delete;
    CopyGuard& operator=(const CopyGuard&) = delete;
    ~CopyGuard() {
        if (path_.empty()) return;
        std::error_code ignored;
        fs::remove(path_, ignored);
    }
    void release() { path_.clear(); }

private:
    fs::path path_;
};

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
        progress.begin("decode", 0);
        const DecodeReport report = decode_backup_to_file(entry, DecodeOptions{keys, true}, destination);
        progress.end();
        return report.stored;
    }
    platform::InputFile in(entry.data_path);
    auto out = platform::OutputFile::create_new(destination);
    CopyGuard guard(destination);
    Sha256 sha;
    FileDigest digest;
    std::vector<char> buffer(stream_chunk_bytes);
    progress.begin("copy", entry.manifest->size_bytes);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) {
        sha.update(buffer.data(), n);
        out.write(buffer.data(), n);
        digest.size_bytes += n;
        progress.advance(digest.size_bytes);
        fault::point("extract.chunk");
    }
    progress.end();
    digest.sha256 = sha.hex_digest();
    require_match(entry, digest);
    out.sync();
    out.close();
    guard.release();
    return digest;
}

FileDigest verify_in_place(const BackupEntry& entry, Progress& progress) {
    require_complete(entry);
    progress.begin("hash", entry.manifest->size_bytes);
    const FileDigest digest = hash_file(entry.data_path);
    progress.end();
    require_match(entry, digest);
    return digest;
}

}  // namespace soniabk
