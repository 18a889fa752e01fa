// The single steps `recover memories` is built from (recover.cpp puts them in order).
#pragma once

#include "commands/recover.hpp"
#include "repo/repository.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

class Database;

// Attaches the backup copy at `path` to `db` as backup_schema.
void attach_backup(Database& db, const std::string& sqlite_name);

// The highest schema_version.version of the live database, which the attached backup must share
// (none when neither has the table); a difference is a usage error naming both.
std::optional<std::int64_t> require_same_schema(Database& db, const std::string& backup_id);

// --deleted-since TIME needs a backup taken at or after TIME: an older one cannot tell the memories
// deleted before TIME from those deleted after it.
void require_selection_fits(const RecoverOptions& options, const BackupEntry& entry);

// The ids the options select, each once, in the order given (--id) or of the backup's ids.
std::vector<std::int64_t> select_memories(Database& db, const RecoverOptions& options);

// `recover memories --unarchive`: one transaction clearing archived_at.
RecoverResult run_unarchive(const UnarchiveOptions& options);

}  // namespace soniabk
