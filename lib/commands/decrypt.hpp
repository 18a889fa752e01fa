// `decrypt`: a stored backup written out without its encryption (and, asked, its compression), for runbooks.
#pragma once

#include "codec/keys.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace soniabk {

// What to do with a backup that is stored neither compressed nor encrypted.
enum class PlainBackups {
    refuse,  // `decrypt`: nothing to decode
    copy,    // `export`: a checked copy, so any backup can be written out as a database file
};

struct DecryptOptions {
    fs::path repo;       // needed when `backup` is an id
    std::string backup;  // a backup id or unique prefix, or the path of a stored file
    fs::path out;        // must not exist
    bool decompress = false;
    PlainBackups plain = PlainBackups::refuse;
    KeyOptions keys;
};

struct DecryptResult {
    std::string backup_id;  // empty for a stored file without a manifest
    fs::path source;
    fs::path out;
    std::uint64_t size_bytes = 0;
    std::string sha256;  // of the file written
    std::uint64_t chunks = 0;
    std::string content_check;  // "sha256", "hmac_sha256" or empty (not checked)
    bool compressed = false;    // the output is still a zstd stream

    Json to_json() const;
};

// Streams the backup through decryption (and decompression) into a temp file beside `out`, then names it
// `out` only if everything checked out and `out` is still free. A wrong or missing key is refused before
// anything is created; damage removes the temp file; nothing is ever overwritten.
DecryptResult decrypt_backup(const DecryptOptions& options);

// `export ID --out FILE`: any backup (plain, compressed, encrypted, page store) as a plain database file.
DecryptResult export_backup(DecryptOptions options);

}  // namespace soniabk
