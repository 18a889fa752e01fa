// How a stored backup stream is encoded, as its manifest records it: never a key, a passphrase or a salt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace soniabk {

// The plain bytes an encoded backup decodes to (for databases: the SQLite file).
struct ContentInfo {
    std::uint64_t size_bytes = 0;
    std::string sha256;       // compressed-only backups
    std::string hmac_sha256;  // encrypted backups: keyed by the backup's key, so it reveals nothing without it
};

struct CompressionInfo {
    std::string algorithm = "zstd";
    int level = 3;
};

struct KdfInfo {
    std::string name = "scrypt";
    int log2_n = 0;
    int r = 0;
    int p = 0;
};

// How the stored file is encrypted: never a key, a passphrase or a salt.
struct EncryptionInfo {
    std::string algorithm = "aes-256-gcm";
    int format_version = 1;  // of the encrypted stream (docs/FORMAT.md)
    std::uint64_t chunk_bytes = 0;
    std::string key_source;  // key_file | passphrase
    std::optional<KdfInfo> kdf;
};

}  // namespace soniabk
