#include "pages/page_backup.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "codec/crypto.hpp"
#include "pages/pack_writer.hpp"

#include <fmt/format.h>

namespace soniabk::pages {

namespace {

// The parent's map when it can still be read; otherwise the backup is written with a full map.
std::optional<ParentMap> load_parent(const storage::Storage& storage, const PageBackupRequest& request) {
    if (!request.parent) return std::nullopt;
    try {
        return ParentMap{*request.parent, load_page_map(storage, *request.parent, request.keys)};
    } catch (const Error&) {
        return std::nullopt;
    }
}

// The database file's size: the progress total (the -wal may add pages, the bar stops at 100%).
std::uint64_t file_size_or_zero(const fs::path& path) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// The stored form of the map (a delta to the parent's when smaller); the maps' memory goes before the encoding.
std::string encode_map(PageMap& map, std::optional<ParentMap>& parent, const PageBackupRequest& request,
                       PageBackupResult& result) {
    std::string plain = serialize_page_map(map, parent ? &*parent : nullptr);
    result.parent_used = parent.has_value() && plain[9] == 1;
    result.map_depth = static_cast<unsigned char>(plain[10]);
    std::vector<PageId>().swap(map.pages);
    parent.reset();
    BlockEncoder encoder(request.zstd_level, request.keys);
    return encoder.encode(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
}

}  // namespace

PageBackupResult write_page_backup(storage::Storage& storage, const PageBackupRequest& request) {
    const PageHasher hasher(request.keys ? &request.keys->id_key : nullptr);
    // 1. The parent's map, and the map's object first, so a key that is taken fails before any page is written.
    std::optional<ParentMap> parent = load_parent(storage, request);
    const auto map_object = storage.create(request.map_key, storage::Overwrite::never);
    std::optional<HmacSink> hmac;
    std::optional<DigestSink> sha;
    ByteSink& content = request.keys ? static_cast<ByteSink&>(hmac.emplace(request.keys->id_key))
                                     : static_cast<ByteSink&>(sha.emplace());
    PageMap map;
    std::uint64_t bytes = 0;
    PageBackupResult result;
    PackStats added;
    {
        // 2. What is stored already: every index object of this store's id kind (freed once the packs are out).
        PageIndex index = PageIndex::load(storage, hasher.kind());
        PackBuilder builder(storage, &index, hasher.kind());
        PackWriter packs(builder, index, request.zstd_level, request.keys);
        // 3. One read transaction: every page is named, hashed into the file's digest, and packed when new.
        request.progress->begin("pages", file_size_or_zero(request.source));
        result.snapshot = read_snapshot_pages(
            request.source, request.busy_timeout, request.check,
            [&](std::uint32_t, const unsigned char* data, std::size_t size) {
                const PageId id = hasher.id_of(data, size);
                content.write(data, size);
                bytes += size;
                request.progress->advance(bytes);
                map.pages.push_back(id);
                if (!packs.has(id)) packs.add(id, data, size);
            });
        request.progress->end();
        const CheckRecord& check = result.snapshot.check;
        if (check.result != "ok" && check.result != "skipped") {
            throw check_failed(ErrorCode::check_failed,
                               fmt::format("{}: snapshot failed {}_check: {}", request.source.string(), check.mode,
                                           check.result),
                               request.source);
        }
        // 4. Packs and their index objects are published before the map that needs them.
        packs.flush_block();
        builder.finish();
        added = builder.stats();
    }
    fault::point("pages.after_packs");
    content.finish();
    result.content.size_bytes = bytes;
    if (hmac) result.content.hmac_sha256 = hmac->digest().sha256;
    else result.content.sha256 = sha->digest().sha256;
    // 5. The map: the changes against the parent's map, or the whole map.
    map.page_size = static_cast<std::uint32_t>(result.snapshot.info.page_size);
    const std::string stored = encode_map(map, parent, request, result);
    DigestSink digest(&map_object->sink());
    digest.write(stored.data(), stored.size());
    digest.finish();
    map_object->set_sha256(digest.digest().sha256);
    map_object->publish();
    fault::point("pages.after_map");
    result.map = digest.digest();
    result.pages_new = added.pages;
    result.packs_added = added.packs;
    result.stored_bytes_added = added.stored_bytes + stored.size();
    return result;
}

}  // namespace soniabk::pages
