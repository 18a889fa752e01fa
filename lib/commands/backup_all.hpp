// `backup all`: the gateway's state, then the database, as one set tied by a set_id in both manifests.
#pragma once

#include "base/json.hpp"
#include "base/steps.hpp"
#include "commands/backup.hpp"
#include "commands/state_backup.hpp"

#include <optional>
#include <string>

namespace soniabk {

// What a gateway that cannot be reached does to `backup all`: stop it, or leave the database alone in the set's place.
enum class MissingState { fail, allow };

struct BackupAllOptions {
    BackupDbOptions db;        // repo, database, label, method, check, codec
    BackupStateOptions state;  // gateway, its backups folder, timeout (repo, label and codec as for db)
    MissingState missing_state = MissingState::fail;
};

struct BackupAllResult {
    std::string set_id;  // empty when no backup carries it (the state half failed or was skipped)
    std::optional<StateBackupResult> state;
    std::optional<BackupResult> db;
    std::optional<Failure> state_error;
    std::optional<Failure> db_error;
    bool state_skipped = false;  // the gateway was down and --allow-missing-state was given

    bool complete() const { return state.has_value() && db.has_value(); }
    // 0 complete (or the database alone with the state allowed missing); else the first failure's exit status.
    int exit_code() const;
    Json to_json() const;
};

// State first: a gateway that is down or answers badly is found in seconds, before the database snapshot
// starts. Gateway down: throws (nothing stored) unless MissingState::allow. Any other failure of a half is
// reported in the result; the other half is still taken, and the database half joins the set only when the
// state half was stored. Usage errors throw.
BackupAllResult backup_all(const BackupAllOptions& options);

}  // namespace soniabk
