// prune for replication: point-in-time restore is kept for --keep-points-within (7 days) back from now; a
// lineage with points in that window (or a replicate still writing to it) keeps its base whatever the policy
// says; older lineages, and those whose base is gone, are removed after the backups. Bases then follow the
// policy as the ordinary backups they are.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "storage/storage.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

inline constexpr Duration default_points_window = std::chrono::hours(24 * 7);

struct ReplicaRetention {
    std::map<std::string, std::string> bases_kept;  // backup id -> why it stays
    std::set<std::string> expired;                  // lineages past the window (their bases may go)
    std::vector<std::string> orphans;               // replica/<id>/ with no lineage record, over a day old
};

ReplicaRetention plan_replica_retention(const storage::Storage& storage, TimePoint now, Duration window);

struct RemovedLineage {
    std::string lineage_id;
    std::string reason;
    std::uint64_t objects = 0;
    std::uint64_t bytes = 0;

    Json to_json() const;
};

// The lineages to remove once `remaining` (backup ids) are all the backups that stay. Removes them unless
// `apply` is false (a dry run): the record first, so a half-removed lineage is no lineage.
std::vector<RemovedLineage> remove_lineages(storage::Storage& storage, const ReplicaRetention& plan,
                                           const std::set<std::string>& remaining, bool apply);

}  // namespace soniabk
