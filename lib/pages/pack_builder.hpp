// Gathers stored blocks into immutable packs: a pack is published at ~16 MiB, then its index object, then
// it joins the in-memory index. New pages (PackWriter) and blocks kept by garbage collection both go here.
#pragma once

#include "io/hash.hpp"
#include "pages/page_index.hpp"
#include "storage/storage.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace soniabk::pages {

inline constexpr std::uint64_t pack_target_bytes = std::uint64_t{16} << 20;

struct PackStats {
    std::uint64_t pages = 0;         // pages stored
    std::uint64_t stored_bytes = 0;  // packs and index objects written
    std::uint64_t packs = 0;
};

// Whether adding a block published the pack it completed (its pages are in the index from then on).
enum class PackSealed { no, yes };

class PackBuilder {
public:
    // `index` (may be null) learns every pack once it is published.
    PackBuilder(storage::Storage& storage, PageIndex* index, IdKind kind);
    PackBuilder(const PackBuilder&) = delete;
    PackBuilder& operator=(const PackBuilder&) = delete;
    ~PackBuilder();

    // `stored` is the block as it goes into the pack; `pages` its pages (offset and size are set here).
    PackSealed add_block(std::string_view stored, IndexedBlock pages);
    // Publishes the pack being filled; nothing is written after this.
    void finish();
    const PackStats& stats() const { return stats_; }
    const std::vector<std::string>& published() const { return published_; }

private:
    void seal_pack();

    storage::Storage& storage_;
    PageIndex* index_;
    PackIndex pack_;
    std::unique_ptr<storage::NewObject> object_;
    std::unique_ptr<DigestSink> digest_;  // hashes what goes into object_
    std::uint64_t written_ = 0;
    PackStats stats_;
    std::vector<std::string> published_;  // pack names
};

}  // namespace soniabk::pages
