#include "pages/collect.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "codec/compress.hpp"
#include "pages/check_pack.hpp"
#include "pages/block_codec.hpp"
#include "pages/pack_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace soniabk::pages {

void PackCollection::add(const PackCollection& other) {
    packs_removed += other.packs_removed;
    packs_rewritten += other.packs_rewritten;
    packs_written += other.packs_written;
    orphans_removed += other.orphans_removed;
    bytes_removed += other.bytes_removed;
    bytes_written += other.bytes_written;
    unneeded_bytes += other.unneeded_bytes;
    for (const std::string& name : other.damaged) {
        if (std::find(damaged.begin(), damaged.end(), name) == damaged.end()) damaged.push_back(name);
    }
}

Json PackCollection::to_json() const {
    return {{"packs_removed", packs_removed},     {"packs_rewritten", packs_rewritten},
            {"packs_written", packs_written},     {"orphan_packs_removed", orphans_removed},
            {"bytes_removed", bytes_removed},     {"bytes_written", bytes_written},
            {"unneeded_bytes", unneeded_bytes},   {"damaged_packs", damaged}};
}

namespace {

enum class PackFate { keep, remove, rewrite };
enum class BlockFate { drop, copy, reencode };

// "pages/index/<name>.idx" -> "<name>"; empty for any other key.
std::string name_in(const std::string& key, std::string_view prefix, std::string_view suffix) {
    if (!key.starts_with(prefix) || !key.ends_with(suffix) || key.size() <= prefix.size() + suffix.size()) return {};
    return key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
}

struct BlockPlan {
    BlockFate fate = BlockFate::drop;
    std::vector<std::size_t> live_pages;  // into the block's pages: the ones that stay
    std::uint64_t live_stored_bytes = 0;  // its share of the block's stored bytes (all of them when copied)
};

struct PackPlan {
    PackIndex index;
    std::uint64_t index_bytes = 0;
    std::vector<BlockPlan> blocks;    // parallel to index.blocks
    std::uint64_t unneeded_bytes = 0;  // stored bytes of the pages that go (a share of a block's, by plain size)
    PackFate fate = PackFate::keep;
};

// Every readable index object of `kind`; an unreadable one is reported and its pack left alone.
std::vector<PackPlan> read_indexes(const storage::Storage& storage, IdKind kind, PackCollection& result) {
    std::vector<PackPlan> plans;
    for (const storage::ObjectInfo& object : storage.list(index_prefix)) {
        const std::string name = name_in(object.key, index_prefix, ".idx");
        if (name.empty()) continue;
        try {
            PackIndex index = parse_pack_index(storage.read_all(object.key), name, storage.location(object.key));
            if (index.kind == kind) plans.push_back({std::move(index), object.size_bytes});
        } catch (const Error&) {
            result.damaged.push_back(name);
        }
    }
    return plans;
}

// A page stays when it is needed and no block chosen before holds it. A block of only such pages is copied
// as stored; one that holds some is re-encoded with them alone, when its pages can be decoded.
BlockPlan plan_block(const IndexedBlock& block, const PageIdSet& needed, PageIdSet& placed, Decoding decoding) {
    BlockPlan plan;
    std::uint64_t plain = 0;
    std::uint64_t live_plain = 0;
    for (std::size_t p = 0; p < block.pages.size(); ++p) {
        const IndexedPage& page = block.pages[p];
        plain += page.size;
        if (!needed.contains(page.id) || placed.contains(page.id)) continue;
        placed.insert(page.id);
        plan.live_pages.push_back(p);
        live_plain += page.size;
    }
    if (plan.live_pages.empty()) return plan;
    const bool whole = plan.live_pages.size() == block.pages.size() || decoding == Decoding::unavailable;
    plan.fate = whole ? BlockFate::copy : BlockFate::reencode;
    plan.live_stored_bytes = whole || plain == 0 ? block.stored_size : block.stored_size * live_plain / plain;
    return plan;
}

void plan_pack(PackPlan& plan, const PageIdSet& needed, PageIdSet& placed, Decoding decoding) {
    bool any_live = false;
    for (const IndexedBlock& block : plan.index.blocks) {
        BlockPlan& b = plan.blocks.emplace_back(plan_block(block, needed, placed, decoding));
        plan.unneeded_bytes += block.stored_size - b.live_stored_bytes;
        any_live = any_live || b.fate != BlockFate::drop;
    }
    if (!any_live) plan.fate = PackFate::remove;
    else if (plan.unneeded_bytes * 10 >= plan.index.pack.size_bytes * rewrite_unneeded_tenths) plan.fate = PackFate::rewrite;
}

// Moves the pages that stay of every pack to rewrite into new packs; false when one could not be read.
bool move_live_pages(storage::Storage& storage, IdKind kind, const PageStoreKeys* keys, const std::vector<PackPlan>& plans,
                     PackCollection& result) {
    const PageIndex nothing_stored;  // pages moved here are, by the plan, in no other kept block
    PackBuilder builder(storage, nullptr, kind);
    // Re-encoded blocks at the page store's default level, whatever the backups that wrote them chose.
    PackWriter writer(builder, nothing_stored, default_zstd_level, keys);
    BlockDecoder decoder(keys);
    bool all_read = true;
    for (const PackPlan& plan : plans) {
        if (plan.fate != PackFate::rewrite) continue;
        const std::optional<std::string> bytes = read_checked_pack(storage, plan.index);
        if (!bytes) {
            result.damaged.push_back(plan.index.pack_name);
            all_read = false;
            continue;
        }
        for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
            const IndexedBlock& block = plan.index.blocks[b];
            const std::string_view stored = std::string_view(*bytes).substr(block.offset, block.stored_size);
            if (plan.blocks[b].fate == BlockFate::copy) builder.add_block(stored, {0, 0, block.pages});
            if (plan.blocks[b].fate != BlockFate::reencode) continue;
            const std::vector<unsigned char> plain = decoder.decode(stored, storage.location(pack_key(plan.index.pack_name)));
            std::vector<std::size_t> offsets{0};
            for (const IndexedPage& page : block.pages) offsets.push_back(offsets.back() + page.size);
            for (const std::size_t p : plan.blocks[b].live_pages) {
                writer.add(block.pages[p].id, plain.data() + offsets[p], block.pages[p].size);
            }
        }
    }
    writer.flush_block();
    builder.finish();
    result.packs_written += builder.stats().packs;
    result.bytes_written += builder.stats().stored_bytes;
    return all_read;
}

}  // namespace

PackCollection collect_packs(storage::Storage& storage, IdKind kind, const PageIdSet& needed, const PageStoreKeys* keys,
                             CollectMode mode) {
    PackCollection result;
    // 1. What every pack holds, and which of its pages a kept backup needs.
    std::vector<PackPlan> plans = read_indexes(storage, kind, result);
    const Decoding decoding = kind == IdKind::sha256 || keys ? Decoding::available : Decoding::unavailable;
    PageIdSet placed;
    for (PackPlan& plan : plans) plan_pack(plan, needed, placed, decoding);
    for (const PackPlan& plan : plans) {
        result.unneeded_bytes += plan.unneeded_bytes;
        if (plan.fate == PackFate::keep) continue;
        ++(plan.fate == PackFate::remove ? result.packs_removed : result.packs_rewritten);
        result.bytes_removed += plan.index.pack.size_bytes + plan.index_bytes;
        if (mode == CollectMode::plan_only) {
            for (const BlockPlan& b : plan.blocks) result.bytes_written += b.live_stored_bytes;
        }
    }
    if (mode == CollectMode::plan_only) return result;
    // 2. The pages that stay of mostly unneeded packs move to new packs, published before anything goes. A
    //    pack that cannot be read stops the collection of its kind: its pages might be the only copies.
    if (!move_live_pages(storage, kind, keys, plans, result)) {
        result.packs_removed = result.packs_rewritten = result.bytes_removed = 0;
        return result;
    }
    fault::point("pages.collect.after_new_packs");
    // 3. Then the old ones: the index object first, so no reader or writer finds pages in a pack about to go.
    for (const PackPlan& plan : plans) {
        if (plan.fate == PackFate::keep) continue;
        storage.remove(index_key(plan.index.pack_name));
        fault::point("pages.collect.index_removed");
        storage.remove(pack_key(plan.index.pack_name));
    }
    return result;
}

PackCollection remove_orphan_packs(storage::Storage& storage, CollectMode mode) {
    PackCollection result;
    std::set<std::string> indexed;
    for (const storage::ObjectInfo& object : storage.list(index_prefix)) {
        indexed.insert(name_in(object.key, index_prefix, ".idx"));
    }
    for (const storage::ObjectInfo& object : storage.list(packs_prefix)) {
        const std::string name = name_in(object.key, packs_prefix, ".pack");
        if (name.empty() || indexed.contains(name)) continue;
        ++result.orphans_removed;
        result.bytes_removed += object.size_bytes;
        result.unneeded_bytes += object.size_bytes;
        if (mode == CollectMode::apply) storage.remove(object.key);
    }
    return result;
}

}  // namespace soniabk::pages
