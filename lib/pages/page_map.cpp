#include "pages/page_map.hpp"

#include "base/error.hpp"
#include "pages/block_codec.hpp"
#include "pages/bytes.hpp"

#include <fmt/format.h>

#include <cstring>

namespace soniabk::pages {

namespace {

constexpr std::string_view map_magic = "SONIAMAP";
constexpr std::uint8_t full_map = 0;
constexpr std::uint8_t delta_map = 1;
constexpr std::size_t max_parent_key_bytes = 1024;

std::string raw_digest(const std::string& hex) {
    std::string out(32, '\0');
    for (std::size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
        out[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
    return out;
}

std::vector<std::uint32_t> changed_pages(const PageMap& map, const PageMap& parent) {
    std::vector<std::uint32_t> changed;
    for (std::size_t i = 0; i < map.pages.size(); ++i) {
        if (i >= parent.pages.size() || map.pages[i] != parent.pages[i]) changed.push_back(static_cast<std::uint32_t>(i + 1));
    }
    return changed;
}

}  // namespace

std::string serialize_page_map(const PageMap& map, const ParentMap* parent) {
    const bool delta = parent != nullptr && parent->map.depth < max_map_depth && parent->map.page_size == map.page_size;
    const std::vector<std::uint32_t> changed = delta ? changed_pages(map, parent->map) : std::vector<std::uint32_t>{};
    std::string out(map_magic);
    out.push_back(1);  // format version
    out.push_back(static_cast<char>(delta ? delta_map : full_map));
    out.push_back(static_cast<char>(delta ? parent->map.depth + 1 : 0));
    out.push_back(0);
    put_be(out, map.page_size, 4);
    put_be(out, map.pages.size(), 8);
    put_be(out, delta ? changed.size() : map.pages.size(), 8);
    out += delta ? raw_digest(parent->ref.stored.sha256) : std::string(32, '\0');
    const std::string parent_key = delta ? parent->ref.key : std::string();
    put_be(out, parent_key.size(), 2);
    out += parent_key;
    if (delta) {
        for (const std::uint32_t number : changed) {
            put_be(out, number, 4);
            out.append(reinterpret_cast<const char*>(map.pages[number - 1].data()), page_id_bytes);
        }
    } else {
        for (const PageId& id : map.pages) out.append(reinterpret_cast<const char*>(id.data()), page_id_bytes);
    }
    return out;
}

std::string read_checked(const storage::Storage& storage, const MapRef& ref) {
    const fs::path origin = storage.location(ref.key);
    const auto info = storage.stat(ref.key);
    if (!info) throw runtime_error(ErrorCode::backup_damaged, fmt::format("{}: missing", origin.string()), origin);
    if (ref.stored.size_bytes != 0 && info->size_bytes != ref.stored.size_bytes) {
        throw runtime_error(ErrorCode::size_mismatch,
                            fmt::format("{}: {} bytes, expected {}", origin.string(), info->size_bytes, ref.stored.size_bytes),
                            origin);
    }
    std::string bytes = storage.read_all(ref.key);
    Sha256 sha;
    sha.update(bytes.data(), bytes.size());
    if (sha.hex_digest() != ref.stored.sha256) {
        throw runtime_error(ErrorCode::sha256_mismatch, fmt::format("{}: SHA-256 does not match", origin.string()), origin);
    }
    return bytes;
}

MapObject parse_map_object(std::string_view plain, const fs::path& origin) {
    ByteReader in(plain, origin);
    if (in.take(map_magic.size()) != map_magic) in.fail("not a page map");
    if (in.be(1) != 1) in.fail("unknown map format version");
    const auto kind = in.be(1);
    if (kind != full_map && kind != delta_map) in.fail("unknown map kind");
    MapObject object;
    object.delta = kind == delta_map;
    object.depth = static_cast<int>(in.be(1));
    in.be(1);
    object.page_size = static_cast<std::uint32_t>(in.be(4));
    object.page_count = in.be(8);
    const std::uint64_t entries = in.be(8);
    const std::string_view sha = in.take(32);
    const std::uint64_t key_size = in.be(2);
    if (object.delta != (key_size != 0) || key_size > max_parent_key_bytes) in.fail("bad parent key");
    if (object.delta) object.parent = {std::string(in.take(key_size)), {to_hex(reinterpret_cast<const unsigned char*>(sha.data()), 32), 0}};
    const std::size_t entry_bytes = page_id_bytes + (object.delta ? 4 : 0);
    if (entries > in.remaining() / entry_bytes || object.page_count > max_block_plain_bytes / page_id_bytes) {
        in.fail("counts beyond what a map holds");
    }
    if (!object.delta && entries != object.page_count) in.fail("a full map must list every page");
    object.entries.resize(entries);
    for (std::uint64_t e = 0; e < entries; ++e) {
        auto& [number, id] = object.entries[e];
        number = object.delta ? static_cast<std::uint32_t>(in.be(4)) : static_cast<std::uint32_t>(e + 1);
        if (number == 0 || number > object.page_count) in.fail("page number out of range");
        std::memcpy(id.data(), in.take(page_id_bytes).data(), page_id_bytes);
    }
    if (in.remaining() != 0) in.fail("bytes after the last entry");
    return object;
}

PageMap load_page_map(const storage::Storage& storage, const MapRef& ref, const PageStoreKeys* keys) {
    std::vector<MapObject> chain;  // newest first
    MapRef next = ref;
    BlockDecoder decoder(keys);
    for (;;) {
        if (chain.size() > static_cast<std::size_t>(max_map_depth) + 1) {
            throw runtime_error(ErrorCode::backup_damaged, fmt::format("{}: map chain too long", next.key), storage.location(next.key));
        }
        const fs::path origin = storage.location(next.key);
        const std::vector<unsigned char> plain = decoder.decode(read_checked(storage, next), origin);
        chain.push_back(parse_map_object({reinterpret_cast<const char*>(plain.data()), plain.size()}, origin));
        if (!chain.back().delta) break;
        next = chain.back().parent;
    }
    PageMap map;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (it->delta && it->page_size != map.page_size) {
            throw runtime_error(ErrorCode::backup_damaged,
                                fmt::format("{}: page size differs from the parent's", storage.location(ref.key).string()),
                                storage.location(ref.key));
        }
        map.page_size = it->page_size;
        map.depth = it->depth;
        map.pages.resize(it->page_count);
        for (const auto& [number, id] : it->entries) map.pages[number - 1] = id;
    }
    return map;
}

}  // namespace soniabk::pages
