// Encoding a backup's bytes for storage: zstd then AES-256-GCM, with the digests its manifest records.
#pragma once

#include "codec/crypto.hpp"
#include "codec/stored_format.hpp"
#include "io/stream.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

// What the operator asked for (--compress zstd[:LEVEL], --encrypt, --key-file); any backup kind can use it.
struct CodecOptions {
    std::optional<int> zstd_level;
    bool encrypt = false;
    KeyOptions keys;
    int zstd_workers = 0;  // 0: one per core
    std::uint8_t chunk_log2 = default_chunk_log2;
    ScryptParams scrypt;  // passphrase stretching cost (tests lower it)

    bool any() const { return zstd_level.has_value() || encrypt; }
};

// CodecOptions with the key resolved, once, before any work: a missing key or bad key file fails first.
class Encoding {
public:
    static Encoding resolve(const CodecOptions& options);

    bool any() const { return options_.any(); }
    bool compressed() const { return options_.zstd_level.has_value(); }
    bool encrypted() const { return secret_ != nullptr; }
    // ".zst", ".enc", ".zst.enc" or "": appended to the plain extension of the stored file (".db").
    std::string suffix() const;
    // The progress phase of encoding with it: "compress", "encrypt", "encode" (both) or "store" (neither).
    std::string_view phase() const;
    const CodecOptions& options() const { return options_; }
    const EncryptionSecret* secret() const { return secret_.get(); }

private:
    CodecOptions options_;
    std::shared_ptr<const EncryptionSecret> secret_;
};

// The digests and descriptors of one encoded stream.
struct EncodedStream {
    ContentInfo content;  // the plain bytes: size, and SHA-256 (compressed) or HMAC-SHA256 (encrypted)
    std::optional<CompressionInfo> compression;
    std::optional<EncryptionInfo> encryption;
    FileDigest stored;  // what was written

};

// What a manifest records of how `secret` encrypts, with chunks of 2^chunk_log2 bytes.
EncryptionInfo describe_encryption(const EncryptionSecret& secret, std::uint8_t chunk_log2);

// The encoding chain: plain bytes written to input() reach `out` as
// content digest -> zstd -> encrypt -> stored digest -> out (layers not asked for are left out).
class StoredEncoder {
public:
    StoredEncoder(const Encoding& encoding, ByteSink& out, std::optional<std::uint64_t> plain_size = {});
    StoredEncoder(const StoredEncoder&) = delete;
    StoredEncoder& operator=(const StoredEncoder&) = delete;
    ~StoredEncoder();

    ByteSink& input();
    // Ends the stream (finishing `out` too) and returns its digests.
    EncodedStream finish();

private:
    struct Chain;
    std::unique_ptr<Chain> chain_;
};

// Encodes file `plain` into the new file `stored` (which must not exist): fsynced and closed when this
// returns, removed when it throws. Publishing it is the caller's step.
EncodedStream encode_file(const fs::path& plain, const fs::path& stored, const Encoding& encoding);
// Encodes file `plain` into `stored` (finished when this returns); with no layers asked for, a hashed copy.
// `progress` sees the plain bytes read, under Encoding::phase().
EncodedStream encode_file(const fs::path& plain, ByteSink& stored, const Encoding& encoding,
                          Progress& progress = no_progress());

}  // namespace soniabk
