// Point-in-time restore's second half: a lineage's segments replayed onto its base, already rebuilt into a file,
// up to the last transaction seen committed at or before a time.
#pragma once

#include "pages/page_keys.hpp"
#include "replica/lineage.hpp"

#include <filesystem>
#include <optional>

namespace soniabk::replica {

struct ReplayedPoint {
    std::string lineage;
    TimePoint committed_at{};         // the last transaction applied (the fix-up end when none after it)
    std::uint64_t transactions = 0;   // restorable transactions applied after the fix-up
    std::uint64_t segments = 0;       // segments read
    std::uint64_t pages_written = 0;
    std::uint64_t database_pages = 0;  // the file's size in pages afterwards
};

// The newest lineage of `lineages` whose points cover `at` (first point at or before it), or none.
const StoredLineage* lineage_for(const std::vector<StoredLineage>& lineages, TimePoint at);
// The last restorable point at or before `at` in `lineage`: what replay_onto will reach.
std::optional<TimePoint> point_at(const StoredLineage& lineage, TimePoint at);

// Writes every page of the fix-up segments and of each later transaction committed at or before `at` into
// `file`, then sizes it and marks page 1 as a rollback-journal database (the restore sets WAL again). Each
// segment is checked (SHA-256, sequence, continuous WAL positions) before any of its pages is written.
ReplayedPoint replay_onto(const storage::Storage& storage, const StoredLineage& lineage, TimePoint at,
                          const pages::PageStoreKeys* keys, const std::filesystem::path& file);

}  // namespace soniabk::replica
