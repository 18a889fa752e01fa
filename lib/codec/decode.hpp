// Reading stored backups back: decryption and decompression on the fly, every digest checked on the way.
#pragma once

#include "codec/keys.hpp"
#include "codec/stored_format.hpp"
#include "io/stream.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

// What decoding one stored file involves and what it must match.
struct StoredLayout {
    bool compressed = false;
    bool encrypted = false;
    std::optional<FileDigest> stored;    // expected size and SHA-256 of the stored file
    std::optional<ContentInfo> content;  // expected size and digest of the decoded bytes
};

// For a stored file without a manifest: encrypted when it starts with the encrypted format's magic,
// compressed when its name says `.zst`; nothing to check but the encryption's own authentication.
StoredLayout layout_of_file(const fs::path& path);

struct DecodeOptions {
    KeyOptions keys;         // needed for encrypted files; the header says which kind of key
    bool decompress = true;  // false: undo only the encryption (`soniabk decrypt`)
};

struct DecodeReport {
    FileDigest stored;              // as read
    std::uint64_t output_bytes = 0;
    std::uint64_t chunks = 0;       // encrypted chunks authenticated
    std::string content_check;      // "sha256", "hmac_sha256", or empty when the content was not checked
};

// Streams the stored file `path` into `out`, decrypting and decompressing on the fly (no temp copy), and
// checks against `layout`: the stored size (before reading), the key (before any byte reaches `out`),
// every encrypted chunk, the zstd frame, the stored SHA-256 and the content size and digest (at the end).
// Anything wrong throws soniabk::Error naming the file: exit 3 ("size_mismatch", "wrong_key", "tampered",
// "corrupt", "sha256_mismatch", "content_mismatch") or 2 ("key_required", a bad key file). Because some
// checks can only end the stream, `out` holds trustworthy bytes only once this returns; `out` is finished then.
DecodeReport decode_stored(ByteSource& in, std::uint64_t stored_size, const fs::path& path,
                           const StoredLayout& layout, const DecodeOptions& options, ByteSink& out);
// The same for a file on disk (one outside any repository too: `soniabk decrypt FILE`).
DecodeReport decode_stored(const fs::path& path, const StoredLayout& layout, const DecodeOptions& options,
                           ByteSink& out);

}  // namespace soniabk
