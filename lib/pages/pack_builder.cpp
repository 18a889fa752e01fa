#include "pages/pack_builder.hpp"

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

PackBuilder::PackBuilder(storage::Storage& storage, PageIndex* index, IdKind kind) : storage_(storage), index_(index) {
    pack_.kind = kind;
}

PackBuilder::~PackBuilder() = default;

PackSealed PackBuilder::add_block(std::string_view stored, IndexedBlock pages) {
    if (!object_) {
        pack_.pack_name = random_pack_name();
        object_ = storage_.create(pack_key(pack_.pack_name), storage::Overwrite::never);
        digest_ = std::make_unique<DigestSink>(&object_->sink());
        written_ = 0;
    }
    digest_->write(stored.data(), stored.size());
    pages.offset = written_;
    pages.stored_size = static_cast<std::uint32_t>(stored.size());
    written_ += stored.size();
    stats_.pages += pages.pages.size();
    pack_.blocks.push_back(std::move(pages));
    if (written_ < pack_target_bytes) return PackSealed::no;
    seal_pack();
    return PackSealed::yes;
}

void PackBuilder::seal_pack() {
    if (!object_) return;
    // Data first: the pack is durable and visible before any index names it.
    digest_->finish();
    pack_.pack = digest_->digest();
    object_->set_sha256(pack_.pack.sha256);
    object_->publish();
    fault::point("pages.after_pack");
    const std::string index = serialize_pack_index(pack_);
    storage_.write_all(index_key(pack_.pack_name), index, storage::Overwrite::never);
    fault::point("pages.after_index");
    stats_.stored_bytes += pack_.pack.size_bytes + index.size();
    ++stats_.packs;
    published_.push_back(pack_.pack_name);
    if (index_) index_->add_pack(pack_);
    pack_.blocks.clear();
    object_.reset();
}

void PackBuilder::finish() { seal_pack(); }

}  // namespace soniabk::pages
