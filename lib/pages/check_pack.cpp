#include "pages/check_pack.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "pages/block_codec.hpp"

#include <fmt/format.h>

namespace soniabk::pages {

std::optional<std::string> read_checked_pack(const storage::Storage& storage, const PackIndex& index) {
    try {
        std::string bytes = storage.read_all(pack_key(index.pack_name));
        Sha256 sha;
        sha.update(bytes.data(), bytes.size());
        if (bytes.size() != index.pack.size_bytes || sha.hex_digest() != index.pack.sha256) return std::nullopt;
        return bytes;
    } catch (const Error&) {
        return std::nullopt;
    }
}

namespace {

Error damaged(const storage::Storage& storage, const std::string& key, const std::string& what) {
    return runtime_error(ErrorCode::backup_damaged, fmt::format("{}: {}", storage.location(key).string(), what),
                         storage.location(key));
}

}  // namespace

PackCheck check_pack(const storage::Storage& storage, const std::string& name, const PageStoreKeys* keys) {
    const std::string key = pack_key(name);
    const PackIndex index = parse_pack_index(storage.read_all(index_key(name)), name, storage.location(index_key(name)));
    const std::optional<std::string> bytes = read_checked_pack(storage, index);
    if (!bytes) throw damaged(storage, key, "missing, or not the size and SHA-256 its index object records");
    PackCheck check{bytes->size(), 0};
    const bool keyed = index.kind == IdKind::hmac_sha256;
    if (keyed && !keys) return check;
    const PageHasher hasher(keyed ? &keys->id_key : nullptr);
    BlockDecoder decoder(keyed ? keys : nullptr);
    for (const IndexedBlock& block : index.blocks) {
        const std::vector<unsigned char> plain =
            decoder.decode(std::string_view(*bytes).substr(block.offset, block.stored_size), storage.location(key));
        std::size_t offset = 0;
        for (const IndexedPage& page : block.pages) {
            if (offset + page.size > plain.size() || hasher.id_of(plain.data() + offset, page.size) != page.id) {
                throw damaged(storage, key, fmt::format("a page at offset {} of the block at {} is not its id", offset, block.offset));
            }
            offset += page.size;
            ++check.pages_checked;
        }
    }
    return check;
}

}  // namespace soniabk::pages
