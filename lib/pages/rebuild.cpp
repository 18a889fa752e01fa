#include "pages/rebuild.hpp"

#include "base/error.hpp"
#include "codec/crypto.hpp"
#include "pages/block_codec.hpp"
#include "pages/page_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <list>
#include <unordered_map>
#include <set>
#include <unordered_set>

namespace soniabk::pages {

namespace {

// A backup's changed pages sit in newer packs than the rest: a few decoded blocks cover both streams.
constexpr std::size_t cached_blocks = 64;

class BlockCache {
public:
    BlockCache(const storage::Storage& storage, const PageIndex& index, const PageStoreKeys* keys)
        : storage_(storage), index_(index), decoder_(keys) {}

    const std::vector<unsigned char>& block(std::uint32_t number) {
        const auto hit = std::find_if(cache_.begin(), cache_.end(), [&](const auto& e) { return e.first == number; });
        if (hit != cache_.end()) {
            cache_.splice(cache_.begin(), cache_, hit);
            return cache_.front().second;
        }
        const BlockLocation& where = index_.blocks()[number];
        const std::string key = pack_key(index_.packs()[where.pack].name);
        std::string stored(where.stored_size, '\0');
        if (!read_at(where.pack, key, where.offset, stored)) {
            throw runtime_error(ErrorCode::backup_damaged, fmt::format("{}: shorter than its index says", key),
                                storage_.location(key));
        }
        if (cache_.size() == cached_blocks) cache_.pop_back();
        cache_.emplace_front(number, decoder_.decode(stored, storage_.location(key)));
        ++reads_;
        return cache_.front().second;
    }
    std::uint64_t reads() const { return reads_; }

private:
    // An open pack and how far it has been read: blocks are mostly wanted in pack order, and a storage
    // reader only moves forward, so each pack is read about once instead of once per block.
    struct Cursor {
        std::unique_ptr<storage::ObjectReader> reader;
        std::uint64_t position = 0;
    };

    bool read_at(std::uint32_t pack, const std::string& key, std::uint64_t offset, std::string& out) {
        Cursor& cursor = cursors_[pack];
        if (!cursor.reader || cursor.position > offset) {
            if (cursors_.size() > max_open_packs) {
                cursors_.clear();
                return read_at(pack, key, offset, out);
            }
            cursor.reader = storage_.open(key, {offset, {}});
            cursor.position = offset;
        }
        std::vector<char> skipped(stream_chunk_bytes);
        while (cursor.position < offset) {
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(skipped.size(), offset - cursor.position));
            const std::size_t n = cursor.reader->read(skipped.data(), want);
            if (n == 0) return false;
            cursor.position += n;
        }
        const std::size_t n = read_fully(*cursor.reader, out.data(), out.size());
        cursor.position += n;
        return n == out.size();
    }

    static constexpr std::size_t max_open_packs = 64;
    std::unordered_map<std::uint32_t, Cursor> cursors_;
    const storage::Storage& storage_;
    const PageIndex& index_;
    BlockDecoder decoder_;
    std::list<std::pair<std::uint32_t, std::vector<unsigned char>>> cache_;
    std::uint64_t reads_ = 0;
};

IdKind kind_of(const PageStoreKeys* keys) { return keys ? IdKind::hmac_sha256 : IdKind::sha256; }

Error missing_page(const storage::Storage& storage, const MapRef& map, std::size_t number) {
    return runtime_error(ErrorCode::backup_damaged,
                         fmt::format("{}: page {} is in no pack of the repository", storage.location(map.key).string(), number),
                         storage.location(map.key));
}

}  // namespace

RebuildReport rebuild_database(const storage::Storage& storage, const MapRef& map_ref, const PageStoreKeys* keys,
                               const ContentInfo& expected, ByteSink& out) {
    const PageMap map = load_page_map(storage, map_ref, keys);
    const PageIndex index = PageIndex::load(storage, kind_of(keys));
    const PageHasher hasher(keys ? &keys->id_key : nullptr);
    BlockCache blocks(storage, index, keys);
    // Pages reach `out` in 1 MiB batches written on a second core, not one 4 KiB write each.
    ThreadedSink batched(out);
    std::optional<HmacSink> hmac;
    std::optional<DigestSink> sha;
    ByteSink& content = keys ? static_cast<ByteSink&>(hmac.emplace(keys->id_key, &batched))
                             : static_cast<ByteSink&>(sha.emplace(&batched));
    RebuildReport report;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        const PageLocation* where = index.find(map.pages[i]);
        if (where == nullptr) throw missing_page(storage, map_ref, i + 1);
        const std::vector<unsigned char>& block = blocks.block(where->block);
        if (static_cast<std::uint64_t>(where->offset) + where->size > block.size()) {
            throw runtime_error(ErrorCode::backup_damaged, fmt::format("page {}: beyond its block", i + 1));
        }
        const unsigned char* page = block.data() + where->offset;
        if (hasher.id_of(page, where->size) != map.pages[i]) {
            throw runtime_error(ErrorCode::backup_damaged,
                                fmt::format("{}: page {} does not match its id", storage.location(map_ref.key).string(), i + 1),
                                storage.location(map_ref.key));
        }
        content.write(page, where->size);
        report.bytes += where->size;
    }
    content.finish();
    report.pages = map.pages.size();
    report.blocks_read = blocks.reads();
    const std::string& got = keys ? hmac->digest().sha256 : sha->digest().sha256;
    const std::string& want = keys ? expected.hmac_sha256 : expected.sha256;
    if (report.bytes != expected.size_bytes || got != want) {
        throw runtime_error(ErrorCode::content_mismatch,
                            fmt::format("{}: the rebuilt database does not match the manifest ({} bytes, expected {})",
                                        storage.location(map_ref.key).string(), report.bytes, expected.size_bytes),
                            storage.location(map_ref.key));
    }
    return report;
}

std::uint64_t check_reachable(const storage::Storage& storage, const MapRef& map_ref, const PageStoreKeys* keys) {
    const PageMap map = load_page_map(storage, map_ref, keys);
    const PageIndex index = PageIndex::load(storage, kind_of(keys));
    std::unordered_set<std::uint32_t> packs;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        const PageLocation* where = index.find(map.pages[i]);
        if (where == nullptr) throw missing_page(storage, map_ref, i + 1);
        packs.insert(index.blocks()[where->block].pack);
    }
    for (const std::uint32_t pack : packs) {
        const PackInfo& info = index.packs()[pack];
        const auto stat = storage.stat(pack_key(info.name));
        if (!stat || stat->size_bytes != info.digest.size_bytes) {
            throw runtime_error(ErrorCode::backup_damaged,
                                fmt::format("{}: {}", storage.location(pack_key(info.name)).string(),
                                            stat ? "size differs from its index" : "missing"),
                                storage.location(pack_key(info.name)));
        }
    }
    return packs.size();
}

std::vector<std::string> packs_needed(const storage::Storage& storage, const MapRef& map_ref, const PageStoreKeys* keys) {
    const PageMap map = load_page_map(storage, map_ref, keys);
    const PageIndex index = PageIndex::load(storage, kind_of(keys));
    std::set<std::string> names;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        const PageLocation* where = index.find(map.pages[i]);
        if (where == nullptr) throw missing_page(storage, map_ref, i + 1);
        names.insert(index.packs()[index.blocks()[where->block].pack].name);
    }
    return {names.begin(), names.end()};
}

}  // namespace soniabk::pages
