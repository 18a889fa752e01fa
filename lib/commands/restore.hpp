// `restore`: puts a verified backup in place of the live database, kill-safely, timed step by step.
#pragma once

#include "base/clock.hpp"
#include "codec/keys.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"
#include "sqlite/snapshot.hpp"
#include "base/steps.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

enum class RestoreSelection {
    latest,  // the newest complete database backup
    id,      // a backup id or unique prefix
    at,      // the newest complete database backup taken at or before a time
    latest_good,  // the newest complete database backup whose stored bytes verify (size and SHA-256)
};

struct RestoreOptions {
    fs::path repo;
    fs::path target;  // the live database (--db)
    RestoreSelection selection = RestoreSelection::latest;
    std::string id;
    TimePoint at{};
    CheckMode check = CheckMode::full;  // on the temp copy, before anything live is touched
    bool dry_run = false;
    KeyOptions keys;  // for encrypted backups (--key-file, SONIABK_KEY_FILE, SONIABK_PASSPHRASE)
    bool force = false;  // replace the database even while another process has it open
    std::string stop_cmd;
    std::string start_cmd;
    std::vector<std::string> health_urls;
    Duration health_timeout = std::chrono::seconds(60);
    Duration rto = std::chrono::seconds(60);
    Duration command_timeout = std::chrono::minutes(5);
    bool journal = true;  // drills rehearse a restore without a journal record of their own
    Progress* progress = &no_progress();
    Trace* trace = &no_trace();  // -v: each step with its duration
    const Clock* clock = &system_clock();
};

// One file operation of the restore plan: copy, checkpoint, link, remove, rename.
struct PlannedMove {
    std::string action;
    fs::path from;
    fs::path to;

    Json to_json() const;
};

struct RestoreResult {
    bool ok = false;
    bool dry_run = false;
    std::string backup_id;
    fs::path backup_path;
    TimePoint backup_created_at{};
    fs::path target;
    std::optional<fs::path> replaced_path;
    std::vector<fs::path> replaced_files;
    std::vector<PlannedMove> plan;
    std::uint64_t space_needed_bytes = 0;
    std::uint64_t space_available_bytes = 0;
    std::vector<StepRecord> steps;
    double duration_seconds = 0;
    double rto_target_seconds = 0;
    bool within_rto = false;
    std::optional<Failure> error;
    std::optional<Json> point;  // --at through replication: the point replayed to

    Json to_json() const;
    int exit_code() const;
};

// Never throws for a refusal or a failed step: the result says which step stopped and why, and
// error's category gives the exit status. Only invalid options throw (usage errors).
RestoreResult restore_database(const RestoreOptions& options);

}  // namespace soniabk
