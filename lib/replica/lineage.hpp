// A lineage: one unbroken run of replication of one database, from its base (a page-store backup) through its
// segments. Layout: `replica/<lineage>/lineage.json`, then `replica/<lineage>/<sequence>_<first>_<last>_<count>.seg`,
// whose name says its first and last commit times (ms since the epoch) so listing alone finds the points.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "storage/storage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soniabk::replica {

inline constexpr std::string_view replica_prefix = "replica/";

struct LineageRecord {
    std::string id;              // lin_YYYYMMDDTHHMMSSZ_xxxxxx
    std::string database;        // the replicated database's absolute path
    std::string base_backup_id;  // the page-store backup the segments apply to
    TimePoint started_at{};
    std::uint64_t fixup_segments = 0;  // segments replayed onto the base before the first restorable point

    Json to_json() const;
};

struct SegmentName {
    std::string key;
    std::uint64_t sequence = 0;
    TimePoint first_commit{};
    TimePoint last_commit{};
    std::uint64_t transactions = 0;
    std::uint64_t size_bytes = 0;
};

struct StoredLineage {
    LineageRecord record;
    std::vector<SegmentName> segments;  // by sequence, 0 on, up to the first gap
    bool gap = false;                   // a sequence is missing: segments after it are not used

    // The restorable points: from the end of the fix-up segments to the last transaction shipped.
    std::optional<TimePoint> first_point() const;
    std::optional<TimePoint> last_point() const;
    std::uint64_t restorable_transactions() const;
};

std::string new_lineage_id(TimePoint at);
std::string lineage_key(const std::string& lineage);
std::string heartbeat_key(const std::string& lineage);  // replica/<lineage>/heartbeat.json
std::string segment_key(const std::string& lineage, std::uint64_t sequence, TimePoint first, TimePoint last,
                        std::uint64_t transactions);

// Publishes the lineage record (the lineage exists for restores from then on).
void write_lineage(storage::Storage& storage, const LineageRecord& record);
// Every lineage with a readable record, oldest first; `database` (absolute) keeps one database's only.
std::vector<StoredLineage> list_lineages(const storage::Storage& storage, const std::string& database = {});

}  // namespace soniabk::replica
