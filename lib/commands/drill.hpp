// `drill`: rehearses a recovery from the repository in a private scratch directory, timed against RTO/RPO.
#pragma once

#include "base/clock.hpp"
#include "codec/keys.hpp"
#include "base/progress.hpp"
#include "base/steps.hpp"

#include "base/json.hpp"
#include "commands/drill_probe.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// --recover-probe: also delete a memory from the scratch copy and recover it from the drilled backup.
enum class RecoverProbe { off, run };

struct DrillOptions {
    fs::path repo;
    std::string id;  // empty: the newest complete database backup
    // --at: the state at this time, as restore --at gives it (a backup taken by then, replayed through a lineage)
    std::optional<TimePoint> at;
    Duration rpo = std::chrono::hours(24);
    Duration rto = std::chrono::seconds(60);
    std::optional<std::string> search;  // --search TEXT; otherwise sampled memories are searched for
    int expect_min = 1;
    int sample_size = 5;
    RecoverProbe recover_probe = RecoverProbe::off;
    std::string restart_cmd;
    std::vector<std::string> health_urls;
    Duration health_timeout = std::chrono::seconds(60);
    Duration command_timeout = std::chrono::minutes(5);
    fs::path incident_dir;    // empty: <repo>/incidents
    fs::path scratch_parent;  // empty: the system temp directory (TMPDIR)
    bool keep = false;        // keep the scratch directory
    KeyOptions keys;          // for encrypted backups
    Progress* progress = &no_progress();
    Trace* trace = &no_trace();  // -v: each step with its duration
    const Clock* clock = &system_clock();
};

struct DrillResult {
    std::string drill_id;
    std::string status;  // completed: every step reached a verdict; failed: a step could not run
    bool passed = false;
    double rto_actual_seconds = 0;
    double rto_target_seconds = 0;
    std::optional<double> rpo_actual_seconds;  // age of the newest database backup; none without one
    double rpo_target_seconds = 0;
    std::vector<StepRecord> steps;
    std::optional<RecoverProbeReport> recover_probe;  // with --recover-probe, once its step ran
    std::string backup_id;
    std::optional<Json> point;  // --at through replication: the point replayed to, as restore reports it
    TimePoint started_at{};
    TimePoint finished_at{};  // after the steps (`status` reads it from drills/last.json)
    fs::path scratch_dir;
    bool scratch_kept = false;
    fs::path record_path;                  // <repo>/drills/last.json
    std::optional<fs::path> incident_path;  // the incident bundle of a failed drill
    std::string incident_error;             // why the bundle could not be written
    std::string record_error;               // why drills/last.json could not be written (read-only repository)
    std::optional<Failure> error;           // a usage error that failed a step (a missing key): exit 2, as in restore

    Json to_json() const;
    int exit_code() const;
};

// Runs the drill, records it (<repo>/drills/last.json and the journal) and, when it did not pass,
// writes an incident bundle. Throws only when the repository itself is missing or unusable.
DrillResult run_drill(const DrillOptions& options);

}  // namespace soniabk
