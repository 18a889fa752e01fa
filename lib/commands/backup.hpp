// `backup db`: a verified, durable, hot snapshot of the memory store stored in the repository.
#pragma once

#include "base/clock.hpp"
#include "codec/encode.hpp"
#include "commands/backup_format.hpp"
#include "commands/copy.hpp"
#include "repo/manifest.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"
#include "sqlite/snapshot.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

struct BackupDbOptions {
    fs::path repo;
    fs::path db;
    std::string label = "daily";
    SnapshotMethod method = SnapshotMethod::backup_api;
    CheckMode check = CheckMode::quick;
    Duration busy_timeout = std::chrono::seconds(10);
    Duration lock_wait = std::chrono::minutes(5);
    std::optional<BackupFormat> format;  // none: default_backup_format of the repository
    CodecOptions codec;  // compression and encryption of the stored file (none: a plain .db)
    std::string set_id;  // `backup all`: recorded in the manifest; empty for a backup on its own
    std::optional<fs::path> copy_to;  // `[copy] to`: the repository the new backup is copied to once complete
    const Clock* clock = &system_clock();
    Progress* progress = &no_progress();
    Trace* trace = &no_trace();  // -v: each step with its duration
};

struct BackupResult {
    Manifest manifest;
    fs::path path;
    fs::path manifest_path;
    bool repository_adopted = false;  // this backup adopted a repository older than `init` (config.json written)
    std::optional<CopyResult> copy;   // with `copy_to`: the copy made after the backup completed

    Json to_json() const;
};

BackupResult backup_database(const BackupDbOptions& options);

// The backup a command that changes memories takes first (`pre-purge`, `pre-recover`), the repository's defaults otherwise.
BackupResult backup_before_change(const fs::path& repo, const fs::path& db, const std::string& label,
                                  Duration busy_timeout, const Clock& clock);

}  // namespace soniabk
