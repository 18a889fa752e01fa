#include "pages/page_index.hpp"

#include "pages/bytes.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

namespace soniabk::pages {

namespace {

constexpr std::string_view index_magic = "SONIAIDX";
constexpr std::size_t index_header_bytes = 56;
constexpr std::size_t digest_bytes = 32;

std::string sha256_raw(std::string_view bytes) {
    std::string out(digest_bytes, '\0');
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(out.data()), &length, EVP_sha256(), nullptr);
    return out;
}

std::string hex_to_raw(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

}  // namespace

std::string pack_key(const std::string& pack_name) { return std::string(packs_prefix) + pack_name + ".pack"; }
std::string index_key(const std::string& pack_name) { return std::string(index_prefix) + pack_name + ".idx"; }

std::string serialize_pack_index(const PackIndex& index) {
    std::string out(index_magic);
    out.push_back(1);  // format version
    out.push_back(static_cast<char>(index.kind));
    put_be(out, 0, 2);
    put_be(out, index.blocks.size(), 4);
    put_be(out, index.pack.size_bytes, 8);
    out += hex_to_raw(index.pack.sha256);
    for (const IndexedBlock& block : index.blocks) {
        put_be(out, block.offset, 8);
        put_be(out, block.stored_size, 4);
        put_be(out, block.pages.size(), 4);
        for (const IndexedPage& page : block.pages) {
            out.append(reinterpret_cast<const char*>(page.id.data()), page.id.size());
            put_be(out, page.size, 4);
        }
    }
    out += sha256_raw(out);
    return out;
}

PackIndex parse_pack_index(std::string_view bytes, const std::string& pack_name, const fs::path& origin) {
    ByteReader in(bytes, origin);
    if (bytes.size() < index_header_bytes + digest_bytes) in.fail("shorter than an index");
    const std::string_view body = bytes.substr(0, bytes.size() - digest_bytes);
    if (sha256_raw(body) != bytes.substr(body.size())) in.fail("index checksum does not match");
    if (in.take(index_magic.size()) != index_magic) in.fail("not a page index");
    if (in.be(1) != 1) in.fail("unknown index format version");
    PackIndex index;
    index.pack_name = pack_name;
    const auto kind = in.be(1);
    if (kind != 1 && kind != 2) in.fail("unknown id kind");
    index.kind = static_cast<IdKind>(kind);
    in.be(2);
    const std::uint64_t block_count = in.be(4);
    index.pack.size_bytes = in.be(8);
    const std::string_view sha = in.take(digest_bytes);
    index.pack.sha256 = to_hex(reinterpret_cast<const unsigned char*>(sha.data()), sha.size());
    for (std::uint64_t b = 0; b < block_count; ++b) {
        IndexedBlock block;
        block.offset = in.be(8);
        block.stored_size = static_cast<std::uint32_t>(in.be(4));
        const std::uint64_t pages = in.be(4);
        if (block.offset + block.stored_size > index.pack.size_bytes) in.fail("block beyond the end of its pack");
        if (pages > in.remaining() / (page_id_bytes + 4)) in.fail("more pages than bytes");
        block.pages.resize(pages);
        for (IndexedPage& page : block.pages) {
            std::memcpy(page.id.data(), in.take(page_id_bytes).data(), page_id_bytes);
            page.size = static_cast<std::uint32_t>(in.be(4));
        }
        index.blocks.push_back(std::move(block));
    }
    if (in.position() != body.size()) in.fail("bytes after the last block");
    return index;
}

PageIndex PageIndex::load(const storage::Storage& storage, IdKind kind) {
    PageIndex result;
    for (const storage::ObjectInfo& object : storage.list(index_prefix)) {
        if (!object.key.ends_with(".idx")) continue;
        const std::string name = object.key.substr(index_prefix.size(), object.key.size() - index_prefix.size() - 4);
        const PackIndex index = parse_pack_index(storage.read_all(object.key), name, storage.location(object.key));
        if (index.kind != kind) continue;
        result.add_blocks(index, [&](const PageId& id, PageLocation where) { result.loaded_.emplace_back(id, where); });
    }
    // Block numbers grow in reading order: sorted by (id, block), the first copy of a page read comes first.
    std::sort(result.loaded_.begin(), result.loaded_.end(), [](const Entry& a, const Entry& b) {
        return a.first != b.first ? a.first < b.first : a.second.block < b.second.block;
    });
    const auto last = std::unique(result.loaded_.begin(), result.loaded_.end(),
                                  [](const Entry& a, const Entry& b) { return a.first == b.first; });
    result.loaded_.erase(last, result.loaded_.end());
    return result;
}

const PageLocation* PageIndex::find(const PageId& id) const {
    const auto it = std::lower_bound(loaded_.begin(), loaded_.end(), id,
                                     [](const Entry& e, const PageId& wanted) { return e.first < wanted; });
    if (it != loaded_.end() && it->first == id) return &it->second;
    const auto added = added_.find(id);
    return added == added_.end() ? nullptr : &added->second;
}

void PageIndex::add_pack(const PackIndex& index) {
    add_blocks(index, [&](const PageId& id, PageLocation where) {
        if (find(id) == nullptr) added_.emplace(id, where);
    });
}

template <class OnPage>
void PageIndex::add_blocks(const PackIndex& index, OnPage&& page) {
    const auto pack = static_cast<std::uint32_t>(packs_.size());
    packs_.push_back({index.pack_name, index.pack});
    for (const IndexedBlock& block : index.blocks) {
        const auto number = static_cast<std::uint32_t>(blocks_.size());
        blocks_.push_back({pack, block.offset, block.stored_size});
        std::uint32_t offset = 0;
        for (const IndexedPage& indexed : block.pages) {
            page(indexed.id, PageLocation{number, offset, indexed.size});
            offset += indexed.size;
        }
    }
}

}  // namespace soniabk::pages
