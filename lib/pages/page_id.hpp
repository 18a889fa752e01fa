// Page ids: the SHA-256 of a page's bytes, or in encrypted repositories an HMAC-SHA-256 under the page
// store's id key, so an id tells nothing about the page without the key.
#pragma once

#include "codec/keys.hpp"
#include "io/hash.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace soniabk::pages {

inline constexpr std::size_t page_id_bytes = 32;
using PageId = std::array<unsigned char, page_id_bytes>;

// Which function made an id; ids of the two kinds never meet (a plain and an encrypted store are apart).
enum class IdKind : std::uint8_t { sha256 = 1, hmac_sha256 = 2 };

struct PageIdHash {
    std::size_t operator()(const PageId& id) const {
        std::size_t h = 0;
        std::memcpy(&h, id.data(), sizeof h);  // ids are uniformly distributed already
        return h;
    }
};

using soniabk::to_hex;  // else the PageId overload below would hide the byte one
inline std::string to_hex(const PageId& id) { return to_hex(id.data(), id.size()); }

// Names pages: SHA-256 without a key, HMAC-SHA-256 with one.
class PageHasher {
public:
    explicit PageHasher(const SecretBytes* id_key = nullptr) : key_(id_key) {}
    IdKind kind() const { return key_ ? IdKind::hmac_sha256 : IdKind::sha256; }
    PageId id_of(const unsigned char* data, std::size_t size) const;

private:
    const SecretBytes* key_;
};

}  // namespace soniabk::pages
