#include "codec/crypto.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>
#include <string_view>

namespace soniabk {

namespace {

constexpr std::array<unsigned char, 8> magic = {'S', 'O', 'N', 'I', 'A', 'E', 'N', 'C'};
constexpr unsigned char format_version = 1;
constexpr unsigned char cipher_aes_256_gcm = 1;
constexpr std::uint64_t max_scrypt_memory = std::uint64_t{1} << 30;

Error corrupt(const fs::path& origin, const std::string& why) {
    return runtime_error(ErrorCode::corrupt, fmt::format("{}: encrypted header is invalid: {}", origin.string(), why), origin);
}

std::uint64_t scrypt_memory(const ScryptParams& s) { return std::uint64_t{128} * s.r << s.log2_n; }

void kdf_derive(const char* name, OSSL_PARAM* params, unsigned char* out, std::size_t size) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, name, nullptr);
    EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
    const bool ok = ctx != nullptr && EVP_KDF_derive(ctx, out, size, params) == 1;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    if (!ok) throw runtime_error(ErrorCode::crypto, fmt::format("OpenSSL {} key derivation failed", name));
}

SecretBytes scrypt(const SecretBytes& passphrase, const EncryptionHeader& header) {
    std::uint64_t n = std::uint64_t{1} << header.scrypt.log2_n;
    std::uint32_t r = header.scrypt.r;
    std::uint32_t p = header.scrypt.p;
    std::uint64_t maxmem = max_scrypt_memory + (std::uint64_t{1} << 24);
    static const unsigned char none = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                          const_cast<unsigned char*>(passphrase.empty() ? &none : passphrase.data()),
                                          passphrase.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(header.salt.data()),
                                          header.salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end()};
    SecretBytes key(key_bytes);
    kdf_derive("SCRYPT", params, key.data(), key.size());
    return key;
}

void hkdf(const SecretBytes& master, const EncryptionHeader& header, std::string_view info, unsigned char* out,
          std::size_t size) {
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(master.data()), master.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(header.salt.data()),
                                          header.salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
        OSSL_PARAM_construct_end()};
    kdf_derive("HKDF", params, out, size);
}

Error key_required(const fs::path& origin, KeySource source) {
    const std::string how = source == KeySource::key_file
                                ? "pass --key-file F or set SONIABK_KEY_FILE"
                                : "set SONIABK_PASSPHRASE or run on a terminal to be asked for it";
    return Error(ErrorCategory::usage, ErrorCode::key_required,
                 fmt::format("{}: encrypted with a {}: {}", origin.string(),
                             source == KeySource::key_file ? "key file" : "passphrase", how),
                 origin);
}

}  // namespace

const char* to_string(KeySource source) { return source == KeySource::passphrase ? "passphrase" : "key_file"; }

std::array<unsigned char, encryption_header_bytes> EncryptionHeader::serialize() const {
    std::array<unsigned char, encryption_header_bytes> out{};
    std::memcpy(out.data(), magic.data(), magic.size());
    out[8] = format_version;
    out[9] = cipher_aes_256_gcm;
    out[10] = static_cast<unsigned char>(key_source);
    out[11] = chunk_log2;
    if (key_source == KeySource::passphrase) {
        out[12] = scrypt.log2_n;
        out[13] = scrypt.r;
        out[14] = scrypt.p;
    }
    std::memcpy(out.data() + 16, salt.data(), salt.size());
    std::memcpy(out.data() + 48, nonce_prefix.data(), nonce_prefix.size());
    std::memcpy(out.data() + 56, key_check.data(), key_check.size());
    return out;
}

EncryptionHeader new_encryption_header(KeySource source, std::uint8_t chunk_log2, ScryptParams scrypt_params) {
    EncryptionHeader header;
    header.key_source = source;
    header.chunk_log2 = chunk_log2;
    header.scrypt = source == KeySource::passphrase ? scrypt_params : ScryptParams{0, 0, 0};
    if (RAND_bytes(header.salt.data(), static_cast<int>(header.salt.size())) != 1 ||
        RAND_bytes(header.nonce_prefix.data(), static_cast<int>(header.nonce_prefix.size())) != 1) {
        throw runtime_error(ErrorCode::crypto, "OpenSSL could not produce random bytes");
    }
    return header;
}

EncryptionHeader parse_encryption_header(const unsigned char* bytes, std::size_t size, const fs::path& origin) {
    if (size < magic.size() || std::memcmp(bytes, magic.data(), magic.size()) != 0) {
        throw runtime_error(ErrorCode::not_encrypted, fmt::format("{}: not a soniabk encrypted file", origin.string()), origin);
    }
    if (size < encryption_header_bytes) throw corrupt(origin, "truncated");
    if (bytes[8] != format_version) throw corrupt(origin, fmt::format("format version {} is not supported", bytes[8]));
    if (bytes[9] != cipher_aes_256_gcm) throw corrupt(origin, fmt::format("unknown cipher {}", bytes[9]));
    if (bytes[15] != 0) throw corrupt(origin, "reserved byte is not zero");
    EncryptionHeader h;
    if (bytes[10] != 1 && bytes[10] != 2) throw corrupt(origin, fmt::format("unknown key source {}", bytes[10]));
    h.key_source = static_cast<KeySource>(bytes[10]);
    h.chunk_log2 = bytes[11];
    if (h.chunk_log2 < min_chunk_log2 || h.chunk_log2 > max_chunk_log2) throw corrupt(origin, "chunk size out of range");
    h.scrypt = {bytes[12], bytes[13], bytes[14]};
    if (h.key_source == KeySource::key_file && (h.scrypt.log2_n | h.scrypt.r | h.scrypt.p) != 0) {
        throw corrupt(origin, "scrypt parameters on a key-file header");
    }
    // Bounded so that a crafted header cannot make soniabk allocate without limit.
    if (h.key_source == KeySource::passphrase &&
        (h.scrypt.log2_n < 1 || h.scrypt.log2_n > 24 || h.scrypt.r < 1 || h.scrypt.r > 32 || h.scrypt.p < 1 ||
         h.scrypt.p > 16 || scrypt_memory(h.scrypt) > max_scrypt_memory)) {
        throw corrupt(origin, "scrypt parameters out of range");
    }
    std::memcpy(h.salt.data(), bytes + 16, h.salt.size());
    std::memcpy(h.nonce_prefix.data(), bytes + 48, h.nonce_prefix.size());
    std::memcpy(h.key_check.data(), bytes + 56, h.key_check.size());
    return h;
}

EncryptionHeader read_encryption_header(const fs::path& path) {
    platform::InputFile in(path);
    std::array<unsigned char, encryption_header_bytes> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const std::size_t n = in.read(bytes.data() + got, bytes.size() - got);
        if (n == 0) break;
        got += n;
    }
    return parse_encryption_header(bytes.data(), got, path);
}

bool has_encryption_magic(const fs::path& path) {
    platform::InputFile in(path);
    std::array<unsigned char, magic.size()> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const std::size_t n = in.read(bytes.data() + got, bytes.size() - got);
        if (n == 0) break;
        got += n;
    }
    return got == bytes.size() && bytes == magic;
}

EncryptionSecret resolve_encryption_secret(const KeyOptions& keys, ScryptParams scrypt_params) {
    if (keys.has_key_file()) return {KeySource::key_file, read_key_file(keys.key_file), {}};
    if (!keys.has_passphrase()) {
        throw usage_error("--encrypt needs a key: pass --key-file F (see 'soniabk keygen'), or set SONIABK_KEY_FILE "
                          "or SONIABK_PASSPHRASE");
    }
    SecretBytes passphrase = keys.passphrase(true);
    if (passphrase.size() < min_passphrase_chars) {
        throw usage_error(fmt::format("the passphrase is shorter than {} characters: choose a longer one, or use a "
                                      "key file (soniabk keygen)", min_passphrase_chars));
    }
    return {KeySource::passphrase, std::move(passphrase), scrypt_params};
}

SecretBytes master_key(const EncryptionSecret& secret, const EncryptionHeader& header) {
    if (secret.source == KeySource::passphrase) return scrypt(secret.secret, header);
    return SecretBytes(secret.secret.data(), secret.secret.size());
}

SecretBytes master_key_for(const EncryptionHeader& header, const KeyOptions& keys, const fs::path& origin) {
    if (header.key_source == KeySource::key_file) {
        if (!keys.has_key_file()) throw key_required(origin, header.key_source);
        return read_key_file(keys.key_file);
    }
    if (!keys.has_passphrase()) throw key_required(origin, header.key_source);
    return scrypt(keys.passphrase(false), header);
}

FileKeys derive_file_keys(const SecretBytes& master, const EncryptionHeader& header) {
    FileKeys keys{SecretBytes(key_bytes), SecretBytes(key_bytes), {}};
    hkdf(master, header, "soniabk-enc-v1 data key", keys.data_key.data(), keys.data_key.size());
    hkdf(master, header, "soniabk-enc-v1 content mac", keys.mac_key.data(), keys.mac_key.size());
    hkdf(master, header, "soniabk-enc-v1 key check", keys.check.data(), keys.check.size());
    return keys;
}

void require_matching_key(const FileKeys& keys, const EncryptionHeader& header, const fs::path& origin) {
    if (CRYPTO_memcmp(keys.check.data(), header.key_check.data(), keys.check.size()) == 0) return;
    const bool passphrase = header.key_source == KeySource::passphrase;
    throw runtime_error(ErrorCode::wrong_key,
                        fmt::format("{}: wrong {}: this backup was encrypted with a different one{}", origin.string(),
                                    passphrase ? "passphrase" : "key", " (or its header is damaged)"),
                        origin);
}

}  // namespace soniabk
