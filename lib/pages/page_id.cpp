#include "pages/page_id.hpp"

#include "base/error.hpp"

#include <openssl/evp.h>

namespace soniabk::pages {

PageId PageHasher::id_of(const unsigned char* data, std::size_t size) const {
    PageId id{};
    if (key_ == nullptr) {
        unsigned int length = 0;
        if (EVP_Digest(data, size, id.data(), &length, EVP_sha256(), nullptr) != 1 || length != id.size()) {
            throw runtime_error(ErrorCode::crypto, "SHA-256 of a page failed");
        }
        return id;
    }
    std::size_t length = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_->data(), key_->size(), data, size, id.data(),
                  id.size(), &length) == nullptr ||
        length != id.size()) {
        throw runtime_error(ErrorCode::crypto, "HMAC-SHA-256 of a page failed");
    }
    return id;
}

}  // namespace soniabk::pages
