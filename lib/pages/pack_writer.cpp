#include "pages/pack_writer.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"

#include <openssl/rand.h>

namespace soniabk::pages {

namespace {

std::string random_pack_name() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw runtime_error(ErrorCode::crypto, "no random bytes for a pack name");
    return to_hex(bytes, sizeof bytes);
}

}  // namespace

PackWriter::PackWriter(storage::Storage& storage, PageIndex& index, IdKind kind, int zstd_level,
                       const PageStoreKeys* keys)
    : storage_(storage), index_(index), encoder_(zstd_level, keys) {
    pack_.kind = kind;
    block_.reserve(block_target_bytes + (std::size_t{64} << 10));
}

PackWriter::~PackWriter() = default;

void PackWriter::add(const PageId& id, const unsigned char* data, std::size_t size) {
    block_.insert(block_.end(), data, data + size);
    block_pages_.pages.push_back({id, static_cast<std::uint32_t>(size)});
    pending_.insert(id);
    ++stats_.pages;
    if (block_.size() >= block_target_bytes) flush_block();
}

void PackWriter::flush_block() {
    if (block_pages_.pages.empty()) return;
    if (!object_) {
        pack_.pack_name = random_pack_name();
        object_ = storage_.create(pack_key(pack_.pack_name), storage::Overwrite::never);
        digest_ = std::make_unique<DigestSink>(&object_->sink());
        written_ = 0;
    }
    const std::string stored = encoder_.encode(block_.data(), block_.size());
    digest_->write(stored.data(), stored.size());
    block_pages_.offset = written_;
    block_pages_.stored_size = static_cast<std::uint32_t>(stored.size());
    written_ += stored.size();
    pack_.blocks.push_back(std::move(block_pages_));
    block_pages_ = IndexedBlock{};
    block_.clear();
    if (written_ >= pack_target_bytes) seal_pack();
}

void PackWriter::seal_pack() {
    if (!object_) return;
    // Data first: the pack is durable and visible before any index names it.
    digest_->finish();
    pack_.pack = digest_->digest();
    object_->publish();
    fault::point("pages.after_pack");
    const std::string index = serialize_pack_index(pack_);
    storage_.write_all(index_key(pack_.pack_name), index, storage::Overwrite::never);
    fault::point("pages.after_index");
    stats_.stored_bytes += pack_.pack.size_bytes + index.size();
    ++stats_.packs;
    index_.add_pack(pack_);
    pack_.blocks.clear();
    pending_.clear();
    object_.reset();
}

void PackWriter::finish() {
    flush_block();
    seal_pack();
}

}  // namespace soniabk::pages
