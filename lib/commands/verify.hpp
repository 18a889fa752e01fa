// `verify`: proves stored backups are what their manifests say, and that the newest is recent enough.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"
#include "codec/keys.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

struct CheckOutcome {
    std::string name;
    bool ok = false;
    std::string detail;

    Json to_json() const;
};

struct BackupVerification {
    std::string backup_id;
    std::string kind;
    fs::path path;
    bool ok = true;
    std::vector<CheckOutcome> checks;

    void add(CheckOutcome check);
    Json to_json() const;
};

// Checks one backup: manifest, data file present, size, SHA-256; with VerifyDepth::deep, the content too
// (PRAGMA integrity_check on a read-only open for databases; structure and counts for state snapshots).
// A compressed or encrypted backup is decoded for --deep into a private temp file (which needs the key
// from `keys` when encrypted): every chunk authenticated, content size and digest checked, then the above.
enum class VerifyDepth { stored, deep };
// At -v (`trace`) the backup is one step, `step backup 0.031s passed: bkp_... (manifest, ..., sha256)`.
BackupVerification verify_backup(const BackupEntry& entry, VerifyDepth depth, const KeyOptions& keys = {},
                                 Progress& progress = no_progress(), Trace& trace = no_trace());

// The id of the newest backup of each kind that passes (stored-file) verification: the one never deleted.
std::set<std::string> newest_verified_ids(const std::vector<BackupEntry>& entries);

enum class VerifySelection { latest, all, ids };

struct VerifyOptions {
    fs::path repo;
    VerifySelection selection = VerifySelection::latest;
    std::vector<std::string> ids;
    std::string kind;  // empty: every kind
    VerifyDepth depth = VerifyDepth::stored;
    KeyOptions keys;  // for --deep on encrypted backups
    std::optional<Duration> max_age;
    std::string read_data_subset;  // "N/M" or "auto/M": every backup, reading one subset of the data (empty: off)
    const Clock* clock = &system_clock();
    Progress* progress = &no_progress();  // --deep's decoding and copying
    Trace* trace = &no_trace();  // -v: each step with its duration
};

struct VerifyResult {
    bool ok = true;
    std::vector<BackupVerification> backups;
    std::vector<CheckOutcome> checks;  // repository-wide: backups present, max_age, packs read
    Json subset;                       // what --read-data-subset read; null without it

    Json to_json() const;
};

VerifyResult verify_repository(const VerifyOptions& options);
// The --read-data-subset run (commands/verify_subset.cpp).
VerifyResult verify_data_subset(const VerifyOptions& options, const Repository& repo,
                                const std::vector<BackupEntry>& entries);

}  // namespace soniabk
