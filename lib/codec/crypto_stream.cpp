#include "codec/crypto.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstring>

namespace soniabk {

// One AES-256-GCM context for a whole file: the key is expanded once, each chunk sets its nonce and AAD.
struct detail::GcmCipher {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    std::array<unsigned char, encryption_header_bytes + 1> aad{};  // the header, then the last-chunk flag
    std::array<unsigned char, 12> nonce{};                         // the nonce prefix, then the chunk index

    GcmCipher(const EncryptionHeader& header, const SecretBytes& key, bool encrypt) {
        const auto bytes = header.serialize();
        std::copy(bytes.begin(), bytes.end(), aad.begin());
        std::copy(header.nonce_prefix.begin(), header.nonce_prefix.end(), nonce.begin());
        if (ctx == nullptr || EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr, encrypt) != 1) {
            throw runtime_error(ErrorCode::crypto, "OpenSSL could not start AES-256-GCM");
        }
    }
    GcmCipher(const GcmCipher&) = delete;
    GcmCipher& operator=(const GcmCipher&) = delete;
    ~GcmCipher() { EVP_CIPHER_CTX_free(ctx); }

    // Starts chunk `index` (at most 2^32 chunks: the nonce numbers them in 4 bytes).
    void start(std::uint64_t index, bool last) {
        if (index > 0xffffffffu) throw runtime_error(ErrorCode::too_large, "stream longer than 2^32 encrypted chunks");
        for (int i = 0; i < 4; ++i) nonce[8 + i] = static_cast<unsigned char>(index >> (24 - 8 * i));
        aad.back() = last ? 1 : 0;
        int ignored = 0;
        if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), -1) != 1 ||
            EVP_CipherUpdate(ctx, nullptr, &ignored, aad.data(), static_cast<int>(aad.size())) != 1) {
            throw runtime_error(ErrorCode::crypto, "AES-256-GCM chunk setup failed");
        }
    }

    // Encrypts or decrypts `size` bytes; the output has the same length.
    void update(unsigned char* out, const unsigned char* in, std::size_t size) {
        int written = 0;
        if (size > 0 && EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(size)) != 1) {
            throw runtime_error(ErrorCode::crypto, "AES-256-GCM update failed");
        }
    }
};

EncryptSink::EncryptSink(ByteSink& next, EncryptionHeader header, const FileKeys& keys)
    : next_(next), chunk_bytes_(header.chunk_bytes()) {
    header.key_check = keys.check;
    cipher_ = std::make_unique<detail::GcmCipher>(header, keys.data_key, true);
    plain_.reserve(chunk_bytes_);
    sealed_.resize(chunk_bytes_ + gcm_tag_bytes);
    next_.write(cipher_->aad.data(), encryption_header_bytes);
}

EncryptSink::~EncryptSink() = default;

void EncryptSink::write(const void* data, std::size_t size) {
    const auto* in = static_cast<const unsigned char*>(data);
    while (size > 0) {
        // A full chunk is sealed only once more bytes arrive: the final chunk is always the one finish() seals.
        if (plain_.size() == chunk_bytes_) emit(false);
        const std::size_t take = std::min(chunk_bytes_ - plain_.size(), size);
        plain_.insert(plain_.end(), in, in + take);
        in += take;
        size -= take;
    }
}

void EncryptSink::emit(bool last) {
    cipher_->start(index_, last);
    cipher_->update(sealed_.data(), plain_.data(), plain_.size());
    int ignored = 0;
    unsigned char* tag = sealed_.data() + plain_.size();
    if (EVP_CipherFinal_ex(cipher_->ctx, tag, &ignored) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher_->ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(gcm_tag_bytes), tag) != 1) {
        throw runtime_error(ErrorCode::crypto, "AES-256-GCM could not seal a chunk");
    }
    next_.write(sealed_.data(), plain_.size() + gcm_tag_bytes);
    plain_.clear();
    ++index_;
}

void EncryptSink::finish() {
    emit(true);
    next_.finish();
}

DecryptSink::DecryptSink(ByteSink& next, const EncryptionHeader& header, const FileKeys& keys, fs::path origin)
    : next_(next), origin_(std::move(origin)), sealed_chunk_bytes_(header.chunk_bytes() + gcm_tag_bytes) {
    require_matching_key(keys, header, origin_);
    cipher_ = std::make_unique<detail::GcmCipher>(header, keys.data_key, false);
    pending_.reserve(sealed_chunk_bytes_);
    plain_.resize(header.chunk_bytes());
}

DecryptSink::~DecryptSink() = default;

void DecryptSink::write(const void* data, std::size_t size) {
    const auto* in = static_cast<const unsigned char*>(data);
    if (header_seen_ < encryption_header_bytes) {
        const std::size_t take = std::min(encryption_header_bytes - header_seen_, size);
        if (std::memcmp(in, cipher_->aad.data() + header_seen_, take) != 0) {
            throw runtime_error(ErrorCode::tampered, fmt::format("{}: encrypted header changed while reading", origin_.string()),
                                origin_);
        }
        header_seen_ += take;
        in += take;
        size -= take;
    }
    while (size > 0) {
        // Like the writer: a full chunk is opened as non-final only when more bytes follow it.
        if (pending_.size() == sealed_chunk_bytes_) open_chunk(false);
        const std::size_t take = std::min(sealed_chunk_bytes_ - pending_.size(), size);
        pending_.insert(pending_.end(), in, in + take);
        in += take;
        size -= take;
    }
}

void DecryptSink::open_chunk(bool last) {
    const std::size_t size = pending_.size() - gcm_tag_bytes;
    cipher_->start(index_, last);
    cipher_->update(plain_.data(), pending_.data(), size);
    int ignored = 0;
    unsigned char* tag = pending_.data() + size;
    if (EVP_CIPHER_CTX_ctrl(cipher_->ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(gcm_tag_bytes), tag) != 1 ||
        EVP_CipherFinal_ex(cipher_->ctx, plain_.data() + size, &ignored) != 1) {
        throw runtime_error(ErrorCode::tampered,
                            fmt::format("{}: encrypted chunk {} failed authentication: the file is damaged, truncated, "
                                        "reordered or was tampered with", origin_.string(), index_),
                            origin_);
    }
    next_.write(plain_.data(), size);
    pending_.clear();
    ++index_;
}

void DecryptSink::finish() {
    if (header_seen_ < encryption_header_bytes || pending_.size() < gcm_tag_bytes) {
        throw runtime_error(ErrorCode::tampered, fmt::format("{}: encrypted stream is truncated: its final chunk is missing",
                                                    origin_.string()), origin_);
    }
    open_chunk(true);
    next_.finish();
}

struct HmacSink::Context {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    ~Context() {
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
    }
};

HmacSink::HmacSink(const SecretBytes& key, ByteSink* next) : context_(std::make_unique<Context>()), next_(next) {
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (context_->ctx == nullptr || EVP_MAC_init(context_->ctx, key.data(), key.size(), params) != 1) {
        throw runtime_error(ErrorCode::crypto, "OpenSSL could not start HMAC-SHA256");
    }
}

HmacSink::~HmacSink() = default;

void HmacSink::write(const void* data, std::size_t size) {
    if (EVP_MAC_update(context_->ctx, static_cast<const unsigned char*>(data), size) != 1) {
        throw runtime_error(ErrorCode::crypto, "HMAC-SHA256 update failed");
    }
    digest_.size_bytes += size;
    if (next_ != nullptr) next_->write(data, size);
}

void HmacSink::finish() {
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    if (EVP_MAC_final(context_->ctx, mac, &length, sizeof mac) != 1) throw runtime_error(ErrorCode::crypto, "HMAC-SHA256 failed");
    digest_.sha256 = to_hex(mac, length);
    if (next_ != nullptr) next_->finish();
}

}  // namespace soniabk
