#include "pages/pack_writer.hpp"

#include <utility>

namespace soniabk::pages {

PackWriter::PackWriter(PackBuilder& packs, const PageIndex& index, int zstd_level, const PageStoreKeys* keys)
    : index_(index), encoder_(zstd_level, keys), packs_(packs) {
    block_.reserve(block_target_bytes + (std::size_t{64} << 10));
}

void PackWriter::add(const PageId& id, const unsigned char* data, std::size_t size) {
    block_.insert(block_.end(), data, data + size);
    block_pages_.pages.push_back({id, static_cast<std::uint32_t>(size)});
    pending_.insert(id);
    if (block_.size() >= block_target_bytes) flush_block();
}

void PackWriter::flush_block() {
    if (block_pages_.pages.empty()) return;
    const std::string stored = encoder_.encode(block_.data(), block_.size());
    block_.clear();
    // A published pack is in the index: its pages need no second record here.
    if (packs_.add_block(stored, std::exchange(block_pages_, IndexedBlock{})) == PackSealed::yes) pending_.clear();
}

}  // namespace soniabk::pages
