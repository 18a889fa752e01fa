#include "io/hash.hpp"

#include "base/interrupt.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"

#include <openssl/evp.h>

#include <vector>

namespace soniabk {

struct Sha256::Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
    if (context_->ctx == nullptr || EVP_DigestInit_ex(context_->ctx, EVP_sha256(), nullptr) != 1) {
        throw runtime_error(ErrorCode::crypto, "OpenSSL could not start a SHA-256 digest");
    }
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_->ctx, data, size) != 1) throw runtime_error(ErrorCode::crypto, "SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_->ctx, digest, &length) != 1) throw runtime_error(ErrorCode::crypto, "SHA-256 final failed");
    return to_hex(digest, length);
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 hash;
    hash.update(bytes.data(), bytes.size());
    return hash.hex_digest();
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    return out;
}

FileDigest hash_file(const std::filesystem::path& path, Progress& progress) {
    FileSource in(path);
    return hash_stream(in, in.file().size(), progress);
}

FileDigest hash_stream(ByteSource& in, std::uint64_t expected_size, Progress& progress) {
    Sha256 sha;
    std::vector<char> buffer(stream_chunk_bytes);
    FileDigest result;
    progress.begin("hash", expected_size);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) {
        sha.update(buffer.data(), n);
        result.size_bytes += n;
        progress.advance(result.size_bytes);
        interrupt::check();
    }
    progress.end();
    result.sha256 = sha.hex_digest();
    return result;
}

}  // namespace soniabk
