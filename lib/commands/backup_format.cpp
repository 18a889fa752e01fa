#include "commands/backup_format.hpp"

namespace soniabk {

BackupFormat default_backup_format(const Repository& repository) {
    if (repository.config()) return repository.config()->format;
    for (const BackupEntry& entry : repository.scan()) {
        const bool page_backup = entry.manifest ? entry.manifest->pages.has_value() : entry.data_key.ends_with(page_map_extension);
        if (entry.kind == "db" && !page_backup) return BackupFormat::files;
    }
    return BackupFormat::pages;
}

}  // namespace soniabk
