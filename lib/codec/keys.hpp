// Encryption secrets: self-wiping byte buffers, key files (`soniabk keygen`), and where keys come from.
#pragma once

#include "base/json.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// Key material and passphrases: never copied, wiped when destroyed, and never formatted or logged.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size) : bytes_(size) {}
    SecretBytes(const void* data, std::size_t size);
    SecretBytes(SecretBytes&& other) noexcept = default;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    ~SecretBytes();

    unsigned char* data() { return bytes_.data(); }
    const unsigned char* data() const { return bytes_.data(); }
    std::size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }

private:
    void wipe();
    std::vector<unsigned char> bytes_;
};

inline constexpr std::size_t key_bytes = 32;  // AES-256
inline constexpr std::size_t min_passphrase_chars = 8;

// Reads the 256-bit key of a file written by `soniabk keygen`; errors never quote the file's content.
SecretBytes read_key_file(const fs::path& path);

struct KeygenResult {
    fs::path path;

    Json to_json() const;
};

// `soniabk keygen FILE`: a new random key, owner-only and durable; never replaces an existing file.
KeygenResult generate_key_file(const fs::path& path);

// Supplies the passphrase (SONIABK_PASSPHRASE, or a no-echo terminal prompt that asks twice when
// `confirm`); throws a usage error when there is none to be had.
using PassphraseSource = std::function<SecretBytes(bool confirm)>;

// Where a command finds its key. The file wins when both are set; decoding follows what the file's
// header says it was encrypted with.
struct KeyOptions {
    fs::path key_file;            // --key-file F / SONIABK_KEY_FILE
    PassphraseSource passphrase;  // empty: no passphrase available

    bool has_key_file() const { return !key_file.empty(); }
    bool has_passphrase() const { return static_cast<bool>(passphrase); }
};

}  // namespace soniabk
