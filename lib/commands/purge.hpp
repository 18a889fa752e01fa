// `purge-archived`: hard-deletes memories archived longer ago than a cutoff, after a `pre-purge` backup.
#pragma once

#include "base/clock.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

struct PurgeOptions {
    fs::path repo;  // where the pre-purge backup goes (not needed for a dry run)
    fs::path db;
    Duration older_than = std::chrono::days(365);
    bool dry_run = false;
    Duration busy_timeout = std::chrono::seconds(10);
    const Clock* clock = &system_clock();
};

struct PurgeResult {
    bool dry_run = false;
    TimePoint cutoff{};
    std::int64_t matched = 0;     // archived before the cutoff
    std::int64_t deleted = 0;     // 0 on a dry run
    std::int64_t unparsable = 0;  // archived_at set but not a time SQLite understands: never deleted
    std::string fts;              // how memories_fts is kept in step: none | trigger | delete_command
    std::optional<std::string> backup_id;  // the pre-purge backup (none when nothing was deleted)
    fs::path backup_path;

    Json to_json() const;
};

PurgeResult purge_archived(const PurgeOptions& options);

}  // namespace soniabk
