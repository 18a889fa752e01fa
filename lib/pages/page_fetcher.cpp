#include "pages/page_fetcher.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk::pages {

namespace {

// A backup's changed pages sit in newer packs than the rest: a few decoded blocks cover both streams.
constexpr std::size_t cached_blocks = 64;
constexpr std::size_t max_open_packs = 64;
// Further ahead than this, reopening at the block is cheaper than reading through to it (a query's random reads).
constexpr std::uint64_t max_skip_bytes = std::uint64_t{1} << 20;

Error damaged(const storage::Storage& storage, const MapRef& map, const std::string& problem) {
    const fs::path where = storage.location(map.key);
    return runtime_error(ErrorCode::backup_damaged, fmt::format("{}: {}", where.string(), problem), where);
}

}  // namespace

IdKind id_kind_of(const PageStoreKeys* keys) { return keys ? IdKind::hmac_sha256 : IdKind::sha256; }

PageFetcher::PageFetcher(const storage::Storage& storage, const PageIndex& index, const PageStoreKeys* keys)
    : storage_(storage), index_(index), hasher_(keys ? &keys->id_key : nullptr), decoder_(keys) {}

std::span<const unsigned char> PageFetcher::page(const PageId& id, std::size_t number, const MapRef& map) {
    const PageLocation* where = index_.find(id);
    if (where == nullptr) throw damaged(storage_, map, fmt::format("page {} is in no pack of the repository", number));
    const std::vector<unsigned char>& plain = block(where->block);
    if (static_cast<std::uint64_t>(where->offset) + where->size > plain.size()) {
        throw damaged(storage_, map, fmt::format("page {} lies beyond the end of its block", number));
    }
    const unsigned char* bytes = plain.data() + where->offset;
    if (hasher_.id_of(bytes, where->size) != id) throw damaged(storage_, map, fmt::format("page {} does not match its id", number));
    return {bytes, where->size};
}

const std::vector<unsigned char>& PageFetcher::block(std::uint32_t number) {
    const auto hit = std::find_if(cache_.begin(), cache_.end(), [&](const auto& e) { return e.first == number; });
    if (hit != cache_.end()) {
        cache_.splice(cache_.begin(), cache_, hit);
        return cache_.front().second;
    }
    const BlockLocation& where = index_.blocks()[number];
    const std::string key = pack_key(index_.packs()[where.pack].name);
    std::string stored(where.stored_size, '\0');
    if (!read_at(where.pack, key, where.offset, stored)) {
        throw runtime_error(ErrorCode::backup_damaged, fmt::format("{}: shorter than its index says", key), storage_.location(key));
    }
    if (cache_.size() == cached_blocks) cache_.pop_back();
    cache_.emplace_front(number, decoder_.decode(stored, storage_.location(key)));
    ++reads_;
    return cache_.front().second;
}

bool PageFetcher::read_at(std::uint32_t pack, const std::string& key, std::uint64_t offset, std::string& out) {
    Cursor& cursor = cursors_[pack];
    if (!cursor.reader || cursor.position > offset || offset - cursor.position > max_skip_bytes) {
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

}  // namespace soniabk::pages
