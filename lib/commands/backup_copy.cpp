#include "commands/backup_copy.hpp"

#include "base/error.hpp"
#include "repo/extract.hpp"

#include <fmt/format.h>

namespace soniabk {

BackupEntry find_db_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix) {
    const BackupEntry& entry = find_backup(entries, id_or_prefix);
    if (entry.kind != "db") {
        throw usage_error(fmt::format("backup {} is a {} backup, not a database backup", entry.id(), entry.kind));
    }
    return entry;
}

BackupCopy::BackupCopy(const BackupEntry& entry, const KeyOptions& keys, Progress& progress)
    : scratch_("soniabk-read"), path_(scratch_.path() / "backup.db") {
    extract_verified(entry, path_, keys, progress);
}

}  // namespace soniabk
