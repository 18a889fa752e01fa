#include "pages/rebuild.hpp"

#include "base/error.hpp"
#include "codec/crypto.hpp"
#include "pages/page_fetcher.hpp"
#include "pages/page_index.hpp"

#include <fmt/format.h>

#include <set>
#include <unordered_set>

namespace soniabk::pages {

namespace {

Error missing_page(const storage::Storage& storage, const MapRef& map, std::size_t number) {
    return runtime_error(ErrorCode::backup_damaged,
                         fmt::format("{}: page {} is in no pack of the repository", storage.location(map.key).string(), number),
                         storage.location(map.key));
}

}  // namespace

RebuildReport rebuild_database(const storage::Storage& storage, const MapRef& map_ref, const PageStoreKeys* keys,
                               const ContentInfo& expected, ByteSink& out) {
    const PageMap map = load_page_map(storage, map_ref, keys);
    const PageIndex index = PageIndex::load(storage, id_kind_of(keys));
    PageFetcher pages(storage, index, keys);
    // Pages reach `out` in 1 MiB batches written on a second core, not one 4 KiB write each.
    ThreadedSink batched(out);
    std::optional<HmacSink> hmac;
    std::optional<DigestSink> sha;
    ByteSink& content = keys ? static_cast<ByteSink&>(hmac.emplace(keys->id_key, &batched))
                             : static_cast<ByteSink&>(sha.emplace(&batched));
    RebuildReport report;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        const std::span<const unsigned char> page = pages.page(map.pages[i], i + 1, map_ref);
        content.write(page.data(), page.size());
        report.bytes += page.size();
    }
    content.finish();
    report.pages = map.pages.size();
    report.blocks_read = pages.blocks_read();
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
    const PageIndex index = PageIndex::load(storage, id_kind_of(keys));
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
    const PageIndex index = PageIndex::load(storage, id_kind_of(keys));
    std::set<std::string> names;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        const PageLocation* where = index.find(map.pages[i]);
        if (where == nullptr) throw missing_page(storage, map_ref, i + 1);
        names.insert(index.packs()[index.blocks()[where->block].pack].name);
    }
    return {names.begin(), names.end()};
}

}  // namespace soniabk::pages
