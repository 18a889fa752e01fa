// A replication segment: the transactions one poll shipped from the WAL, each with the pages it changed and
// the time it was seen committed, and where in the WAL it began and ended (so a restart can resume).
#pragma once

#include "base/clock.hpp"
#include "pages/page_keys.hpp"
#include "sqlite/wal_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk::replica {

// A segment's plain bytes stay below this; a longer backlog ships as several segments.
inline constexpr std::size_t segment_target_bytes = std::size_t{16} << 20;

struct SegmentTransaction {
    TimePoint committed_at{};       // when replicate first saw its commit frame (the WAL records no time)
    std::uint32_t database_pages = 0;  // the database's size after it
    std::vector<std::uint32_t> page_numbers;  // each changed page once, its last image in `pages`
    std::string pages;                         // page_size bytes per page number, in the same order
    WalPosition ends_at;                       // in memory only: just after its commit frame
};

struct Segment {
    std::uint64_t sequence = 0;  // 0 for a lineage's first segment, then one more each
    std::uint32_t page_size = 0;
    WalPosition start;           // where the previous segment ended: its first frame follows
    WalPosition end;             // just after its last commit frame: where the next segment starts
    std::vector<SegmentTransaction> transactions;

    std::size_t plain_bytes() const;
};

// The plain encoding, and its parse: damage, a wrong trailer or trailing bytes throw `backup_damaged` naming `origin`.
std::string serialize_segment(const Segment& segment);
Segment parse_segment(std::string_view plain, const fs::path& origin);
// The stored form: a block (zstd, sealed under the page store's key when encrypted) of the plain encoding,
// which ends in the SHA-256 of everything before it.
std::string encode_segment(const Segment& segment, int zstd_level, const pages::PageStoreKeys* keys);
// Decodes and checks a stored segment; damage throws `backup_damaged` naming `origin`.
Segment decode_segment(std::string_view stored, const pages::PageStoreKeys* keys, const fs::path& origin);

}  // namespace soniabk::replica
