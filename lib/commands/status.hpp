// `status`: recovery health at a glance: backup age per kind against the RPO, last verify and drill, free space.
#pragma once

#include "base/clock.hpp"
#include "commands/offsite.hpp"
#include "commands/points.hpp"
#include "repo/lock_state.hpp"
#include "sqlite/swap.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// The next backup is estimated at the newest one's size; this much more must be free (growth since then,
// and the WAL a copy-method snapshot folds in).
inline constexpr double next_backup_margin = 1.5;

struct StatusOptions {
    fs::path repo;
    Duration rpo = std::chrono::hours(24);
    std::optional<fs::path> prometheus;  // node_exporter textfile to write
    std::optional<fs::path> db;          // the restore target whose kept-aside databases are listed
    std::optional<fs::path> copy_to;     // `[copy] to`: reported even before its first copy
    const Clock* clock = &system_clock();
};

struct KindStatus {
    std::string kind;
    std::optional<std::string> newest_id;  // newest complete backup, any label
    TimePoint newest_at{};
    std::uint64_t newest_bytes = 0;
    Duration age{};
    bool rpo_violated = true;
    std::size_t backups = 0;     // complete
    std::size_t incomplete = 0;  // incomplete or with an invalid manifest
    std::uint64_t total_bytes = 0;

    Json to_json() const;
};

// The last verify or drill the journal (or drills/last.json) records.
struct LastRun {
    TimePoint at{};
    bool ok = false;
    std::optional<double> rto_seconds;         // drills: measured recovery time
    std::optional<double> rto_target_seconds;  // drills
    std::string source;                        // "journal" or the file it came from
    Json detail = Json::object();
};

struct SpaceStatus {
    std::optional<std::uint64_t> free_bytes;  // none: object storage, with no volume to fill
    std::uint64_t next_backup_bytes = 0;  // newest size of each kind, summed
    std::uint64_t required_bytes = 0;     // next_backup_bytes * next_backup_margin
    bool short_of_space = false;
};

struct StatusResult {
    bool ok = true;
    TimePoint now{};
    Duration rpo{};
    std::vector<KindStatus> kinds;
    std::optional<LastRun> last_verify;
    std::optional<LastRun> last_drill;
    std::vector<OffsiteStatus> offsite;  // per copy target
    std::vector<ReplicationStatus> replication;  // per replicated database
    SpaceStatus space;
    std::size_t leftover_temps = 0;  // temps of writers that are gone (or unnamed ones over a day old)
    std::uint64_t leftover_temp_bytes = 0;
    std::vector<std::string> problems;  // one line per reason `ok` is false
    std::optional<fs::path> prometheus_file;
    std::optional<fs::path> db;
    std::vector<ReplacedDatabase> replaced;  // beside `db`: restore --remove-replaced removes them
    std::optional<LockState> lock;           // the writer lock, while held or when its holder is gone
    std::vector<std::string> warnings;       // worth a look, but `ok` stays true: a stale lock

    Json to_json() const;
};

StatusResult repository_status(const StatusOptions& options);

}  // namespace soniabk
