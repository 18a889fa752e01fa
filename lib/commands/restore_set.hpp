// `restore --set ID`: a backup set's database in place of the live one, then its DLQ given back to the gateway.
#pragma once

#include "base/json.hpp"
#include "base/steps.hpp"
#include "commands/restore.hpp"
#include "commands/state_restore.hpp"

#include <optional>
#include <string>

namespace soniabk {

struct RestoreSetOptions {
    RestoreOptions db;   // target, checks, services, health, keys, dry run; the backup is the set's database half
    std::string set_id;  // a set id or unique prefix
    std::string gateway = default_gateway_url;
    Duration timeout = std::chrono::seconds(10);
};

struct RestoreSetResult {
    std::string set_id;
    std::string state_backup_id;
    RestoreResult db;
    std::optional<StateRestoreResult> dlq;  // none when the database restore failed (nothing replayed)
    std::optional<Failure> dlq_error;

    bool ok() const { return db.ok && dlq && dlq->ok; }
    int exit_code() const;
    // The restore's document plus set_id, state_backup_id and dlq (restore state's document, or its error).
    Json to_json() const;
};

// Database first, so the replayed dead letters are retried against the restored database, by services
// that --start-cmd has brought back. A set missing a half is refused (set_incomplete) before anything runs.
RestoreSetResult restore_set(const RestoreSetOptions& options);

}  // namespace soniabk
