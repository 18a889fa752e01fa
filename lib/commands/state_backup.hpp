// `backup state`: a verified copy of the gateway's state snapshot, stored in the repository.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "codec/encode.hpp"
#include "sonia/gateway.hpp"
#include "repo/manifest.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

struct BackupStateOptions {
    fs::path repo;
    std::string gateway = default_gateway_url;
    fs::path gateway_dir;          // the gateway's backups folder: the only place its files are read from
    std::optional<fs::path> from;  // import this snapshot instead ("-": standard input)
    std::string label = "daily";
    Duration timeout = std::chrono::seconds(10);
    Duration lock_wait = std::chrono::minutes(5);
    Progress* progress = &no_progress();  // shows whose lock it waits for
    CodecOptions codec;  // --compress / --encrypt: stored as .json.zst / .json.enc / .json.zst.enc
    std::string set_id;  // `backup all`: recorded in the manifest; empty for a backup on its own
    const Clock* clock = &system_clock();
};

struct StateBackupResult {
    Manifest manifest;  // kind "state"; its `state` section is left out when encrypted
    StateInfo state;    // what was backed up, for the output of this run
    fs::path path;
    fs::path manifest_path;
    bool repository_adopted = false;  // this backup adopted a repository older than `init` (config.json written)

    // The gateway's own shape (backup_id, timestamp, path, manifest with the four counts and sha256)
    // plus "ok" and soniabk's details.
    Json to_json() const;
};

// Streams the snapshot into `<repo>/state/gateway-state-YYYYMMDD-HHMMSS.json` while hashing and
// validating it (memory stays flat), compares SHA-256, counts and id with the gateway's answer, and
// publishes it with its manifest. On any failure nothing but the journal line is left behind.
StateBackupResult backup_state(const BackupStateOptions& options);

}  // namespace soniabk
