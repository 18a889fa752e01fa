// `prune`: applies the retention policy to the repository under its writer lock, deleting crash-safely.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"
#include "codec/keys.hpp"
#include "repo/deletion.hpp"
#include "repo/page_collection.hpp"
#include "repo/retention.hpp"

#include "base/json.hpp"
#include "commands/replica_retention.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

struct PruneOptions {
    fs::path repo;
    RetentionPolicy policy = default_policy();
    std::set<std::string> labels = {"daily"};
    bool clean_incomplete = false;  // also incomplete backups older than a day, and dead writers' temps
    bool dry_run = false;
    Duration lock_wait = std::chrono::minutes(5);
    Progress* progress = &no_progress();  // shows whose lock it waits for
    Trace* trace = &no_trace();  // -v: each step with its duration
    KeyOptions keys;  // an encrypted page store's maps are read to know which pages stay
    Duration points_window = default_points_window;  // --keep-points-within: point-in-time restore kept this far back
    const Clock* clock = &system_clock();
};

struct KeptBackup {
    std::string backup_id;
    std::string kind;
    std::string label;  // empty for incomplete backups
    TimePoint time{};
    std::vector<std::string> reasons;

    Json to_json() const;
};

struct PruneResult {
    bool dry_run = false;
    RetentionPolicy policy;
    std::vector<std::string> labels;
    std::vector<KeptBackup> kept;
    std::vector<RemovedBackup> removed;
    std::vector<RemovedFile> removed_temp_files;
    std::vector<RemovedLineage> removed_lineages;  // replication lineages past the window or without their base
    std::optional<PageStoreCollection> pages;  // none without a page store
    std::uint64_t freed_bytes = 0;

    Json to_json() const;
};

PruneResult prune_repository(const PruneOptions& options);

}  // namespace soniabk
