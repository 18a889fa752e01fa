// What replication has made restorable: per lineage its range of points (`list --points`), and per replicated
// database its lag, last shipped commit and WAL size from replicate's heartbeat (`status`, Prometheus).
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "replica/lineage.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

struct LineageSummary {
    replica::StoredLineage lineage;
    bool base_present = false;       // the base backup is still a complete backup: the points are restorable
    std::uint64_t stored_bytes = 0;  // its segments

    Json to_json() const;
};

struct PointsResult {
    std::vector<LineageSummary> lineages;  // oldest first

    Json to_json() const;
};

PointsResult list_points(const std::filesystem::path& repo);

struct ReplicationStatus {
    std::string database;
    std::string lineage_id;                 // its newest lineage
    std::optional<TimePoint> last_commit;   // the last transaction shipped
    std::optional<TimePoint> heartbeat_at;  // replicate's last word
    bool running = false;                   // its heartbeat is recent and it did not say it stopped
    std::uint64_t wal_bytes = 0;
    std::uint64_t unshipped_transactions = 0;
    std::optional<std::string> last_ship_error;
    Duration lag{};  // how long committed transactions may have been waiting to ship
    bool rpo_violated = false;

    Json to_json() const;
};

// Per database, its newest lineage's state; `rpo` bounds the lag.
std::vector<ReplicationStatus> replication_statuses(const storage::Storage& storage,
                                                    const std::vector<std::string>& complete_backup_ids, TimePoint now,
                                                    Duration rpo);

}  // namespace soniabk
