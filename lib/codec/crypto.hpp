// The encrypted stream format (docs/FORMAT.md): an authenticated header, then AES-256-GCM over fixed-size chunks.
#pragma once

#include "codec/keys.hpp"
#include "io/stream.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace soniabk {

namespace detail {
struct GcmCipher;
}

inline constexpr std::size_t encryption_header_bytes = 72;
inline constexpr std::size_t gcm_tag_bytes = 16;
inline constexpr std::uint8_t default_chunk_log2 = 20;  // 1 MiB of plaintext per chunk
inline constexpr std::uint8_t min_chunk_log2 = 4;       // tiny chunks only make test vectors readable
inline constexpr std::uint8_t max_chunk_log2 = 24;

enum class KeySource : std::uint8_t { key_file = 1, passphrase = 2 };
const char* to_string(KeySource source);

// scrypt cost: N = 2^log2_n, memory 128 * r * N bytes (the default: 128 MiB, about 0.3 s).
struct ScryptParams {
    std::uint8_t log2_n = 17;
    std::uint8_t r = 8;
    std::uint8_t p = 1;
};

struct EncryptionHeader {
    KeySource key_source = KeySource::key_file;
    std::uint8_t chunk_log2 = default_chunk_log2;
    ScryptParams scrypt;  // written as zeros for key files
    std::array<unsigned char, 32> salt{};
    std::array<unsigned char, 8> nonce_prefix{};
    std::array<unsigned char, 16> key_check{};

    std::size_t chunk_bytes() const { return std::size_t{1} << chunk_log2; }
    std::array<unsigned char, encryption_header_bytes> serialize() const;
};

// A header with a fresh random salt and nonce prefix; its key_check is set by derive_file_keys' caller.
EncryptionHeader new_encryption_header(KeySource source, std::uint8_t chunk_log2, ScryptParams scrypt);
// Parses and bounds-checks a header; anything else throws naming `origin` (code "not_encrypted" / "corrupt").
EncryptionHeader parse_encryption_header(const unsigned char* bytes, std::size_t size, const fs::path& origin);
EncryptionHeader read_encryption_header(const fs::path& path);
// True when `path` starts with the encrypted format's magic bytes.
bool has_encryption_magic(const fs::path& path);

// The secret an encrypting run uses, resolved once before any work: a key file's key or a passphrase.
struct EncryptionSecret {
    KeySource source = KeySource::key_file;
    SecretBytes secret;
    ScryptParams scrypt;
};
// The key file if given, else the passphrase (asked with confirmation); usage error when there is neither.
EncryptionSecret resolve_encryption_secret(const KeyOptions& keys, ScryptParams scrypt);

// The 256-bit master key of one file: the key file's key, or scrypt(passphrase, the header's salt).
SecretBytes master_key(const EncryptionSecret& secret, const EncryptionHeader& header);
// For decoding: takes from `keys` what the header says the file was encrypted with (usage error if absent).
SecretBytes master_key_for(const EncryptionHeader& header, const KeyOptions& keys, const fs::path& origin);

// The keys one file is encrypted under, derived from its master key and salt with HKDF-SHA256.
struct FileKeys {
    SecretBytes data_key;  // AES-256-GCM key of the chunks
    SecretBytes mac_key;   // HMAC-SHA256 key of the content digest the manifest records
    std::array<unsigned char, 16> check{};
};
FileKeys derive_file_keys(const SecretBytes& master, const EncryptionHeader& header);
// Throws "wrong_key" (exit 3) unless `keys` belong to the key that wrote `header`.
void require_matching_key(const FileKeys& keys, const EncryptionHeader& header, const fs::path& origin);

// Encrypts everything written: the header, then each chunk's ciphertext and tag (docs/FORMAT.md).
// The header is written with `keys.check` as its key check.
class EncryptSink final : public ByteSink {
public:
    EncryptSink(ByteSink& next, EncryptionHeader header, const FileKeys& keys);
    ~EncryptSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;

private:
    void emit(bool last);
    ByteSink& next_;
    std::unique_ptr<detail::GcmCipher> cipher_;
    std::vector<unsigned char> plain_;
    std::vector<unsigned char> sealed_;
    std::size_t chunk_bytes_ = 0;
    std::uint64_t index_ = 0;
};

// Checks and strips the header (which must equal `header`), authenticates each chunk before passing its
// plaintext on, and at finish() requires the final chunk: damage, truncation, reordering, splicing or
// appended bytes throw naming `origin` (code "tampered").
class DecryptSink final : public ByteSink {
public:
    DecryptSink(ByteSink& next, const EncryptionHeader& header, const FileKeys& keys, fs::path origin);
    ~DecryptSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;
    std::uint64_t chunks() const { return index_; }

private:
    void open_chunk(bool last);
    ByteSink& next_;
    std::unique_ptr<detail::GcmCipher> cipher_;
    fs::path origin_;
    std::vector<unsigned char> pending_;
    std::vector<unsigned char> plain_;
    std::size_t sealed_chunk_bytes_ = 0;  // a full chunk as stored: ciphertext and tag
    std::size_t header_seen_ = 0;
    std::uint64_t index_ = 0;
};

// HMAC-SHA256 of the bytes passing through (the content digest of encrypted backups).
class HmacSink final : public ByteSink {
public:
    HmacSink(const SecretBytes& key, ByteSink* next = nullptr);
    ~HmacSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;
    const FileDigest& digest() const { return digest_; }  // valid after finish(); `sha256` holds the HMAC

private:
    struct Context;
    std::unique_ptr<Context> context_;
    ByteSink* next_;
    FileDigest digest_;
};

}  // namespace soniabk
