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

}  // namespace

PageBackupResult write_page_backup(storage::Storage& storage, const PageBackupRequest& request) {
    const PageHasher hasher(request.keys ? &request.keys->id_key : nullptr);
    // 1. What is stored already: every index object of this store's id kind, and the parent's map.
    PageIndex index = PageIndex::load(storage, hasher.kind());
    const std::optional<ParentMap> parent = load_parent(storage, request);
    // 2. The map's object first, so a key that is taken fails before any page is written.
    const auto map_object = storage.create(request.map_key, storage::Overwrite::never);
    // 3. One read transaction: every page is named, hashed into the file's digest, and packed when new.
    PackBuilder builder(storage, &index, hasher.kind());
    PackWriter packs(builder, index, request.zstd_level, request.keys);
    std::optional<HmacSink> hmac;
    std::optional<DigestSink> sha;
    ByteSink& content = request.keys ? static_cast<ByteSink&>(hmac.emplace(request.keys->id_key))
                                     : static_cast<ByteSink&>(sha.emplace());
    PageMap map;
    std::uint64_t bytes = 0;
    PageBackupResult result;
    result.snapshot = read_snapshot_pages(
        request.source, request.busy_timeout, request.check,
        [&](std::uint32_t, const unsigned char* data, std::size_t size) {
            const PageId id = hasher.id_of(data, size);
            content.write(data, size);
            bytes += size;
            map.pages.push_back(id);
            if (!packs.has(id)) packs.add(id, data, size);
        });
    const CheckRecord& check = result.snapshot.check;
    if (check.result != "ok" && check.result != "skipped") {
        throw check_failed(ErrorCode::check_failed,
                           fmt::format("{}: snapshot failed {}_check: {}", request.source.string(), check.mode, check.result),
                           request.source);
    }
    // 4. Packs and their index objects are published before the map that needs them.
    packs.flush_block();
    builder.finish();
    fault::point("pages.after_packs");
    content.finish();
    result.content.size_bytes = bytes;
    if (hmac) result.content.hmac_sha256 = hmac->digest().sha256;
    else result.content.sha256 = sha->digest().sha256;
    // 5. The map: the changes against the parent's map, or the whole map.
    map.page_size = static_cast<std::uint32_t>(result.snapshot.info.page_size);
    const std::string plain = serialize_page_map(map, parent ? &*parent : nullptr);
    BlockEncoder encoder(request.zstd_level, request.keys);
    const std::string stored = encoder.encode(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
    DigestSink digest(&map_object->sink());
    digest.write(stored.data(), stored.size());
    digest.finish();
    map_object->publish();
    fault::point("pages.after_map");
    result.map = digest.digest();
    result.pages_new = builder.stats().pages;
    result.packs_added = builder.stats().packs;
    result.stored_bytes_added = builder.stats().stored_bytes + stored.size();
    result.parent_used = parent.has_value() && plain[9] == 1;
    result.map_depth = static_cast<unsigned char>(plain[10]);
    return result;
}

}  // namespace soniabk::pages
