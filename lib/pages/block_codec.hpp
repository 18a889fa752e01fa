// One stored block: a zstd frame of some pages (or of a page map), sealed in encrypted repositories with
// the encrypted stream format under the page store's seal key. Blocks are decoded one at a time.
#pragma once

#include "pages/page_keys.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk::pages {

inline constexpr std::size_t max_block_plain_bytes = std::size_t{64} << 20;  // a map of an 8 GiB database

class BlockEncoder {
public:
    explicit BlockEncoder(int zstd_level, const PageStoreKeys* keys);
    BlockEncoder(const BlockEncoder&) = delete;
    BlockEncoder& operator=(const BlockEncoder&) = delete;
    ~BlockEncoder();
    // The stored form of `size` plain bytes.
    std::string encode(const unsigned char* data, std::size_t size);

private:
    struct Context;
    std::unique_ptr<Context> context_;
    int level_;
    const PageStoreKeys* keys_;
};

class BlockDecoder {
public:
    explicit BlockDecoder(const PageStoreKeys* keys);
    BlockDecoder(const BlockDecoder&) = delete;
    BlockDecoder& operator=(const BlockDecoder&) = delete;
    ~BlockDecoder();
    // The plain bytes of a stored block; damage, a wrong key or an oversized frame throw naming `origin`.
    std::vector<unsigned char> decode(std::string_view stored, const fs::path& origin);

private:
    struct Context;
    std::unique_ptr<Context> context_;
    const PageStoreKeys* keys_;
};

}  // namespace soniabk::pages
