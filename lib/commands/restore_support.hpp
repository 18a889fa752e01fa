// The single steps a restore is built from, one function each (used by restore.cpp and the dry-run plan).
#pragma once

#include "io/temp_file.hpp"
#include "platform/processes.hpp"
#include "repo/repository.hpp"
#include "commands/restore.hpp"

#include <filesystem>
#include <string>

namespace soniabk {

// Checks the options (usage errors) and resolves a symlinked target to the file it names.
RestoreOptions normalised(const RestoreOptions& options);

// The backup the options select; throws "not_found" / "no_backup" / usage errors.
BackupEntry choose_backup(const RestoreOptions& options);
// When the chosen backup proves damaged: "; the newest backup of this database that verifies is ID (restore
// it with --latest-good or by its id)", or that none other does.
std::string newest_good_hint(const RestoreOptions& options, const std::string& damaged_id);
// Fills the result's backup fields; returns the step detail.
std::string describe_choice(const BackupEntry& entry, RestoreResult& result);

// Throws "no_space" unless the target's volume holds the copy plus the replaced copy; fills the result.
std::string require_space(const fs::path& target, const BackupEntry& entry, RestoreResult& result);

// PRAGMA integrity_check (or quick_check) on the copy; throws "integrity_check_failed".
StepOutcome check_copy(const fs::path& copy, CheckMode mode);

// Backups are stored in rollback-journal mode; a copy of a WAL-mode source is switched back to WAL.
StepOutcome restore_journal_mode(const fs::path& copy, const BackupEntry& entry, const fs::path& target);

// Throws "target_in_use" when another process has the target open, unless told to replace it anyway (--force).
enum class TargetInUse { refuse, replace_anyway };
StepOutcome require_target_free(const fs::path& target, TargetInUse in_use);

// What --stop-cmd / --start-cmd see: SONIABK_TARGET_DB and SONIABK_BACKUP_ID.
platform::EnvironmentAdditions service_environment(const RestoreOptions& options, const BackupEntry& entry);

// --dry-run: every check a restore makes before touching anything, and the plan of file moves.
void plan_restore(const RestoreOptions& options, RestoreResult& result);

}  // namespace soniabk
