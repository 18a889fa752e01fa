#include "commands/backup_format.hpp"

namespace soniabk {

std::optional<BackupFormat> parse_backup_format(std::string_view text) {
    if (text == "files") return BackupFormat::files;
    if (text == "pages") return BackupFormat::pages;
    return std::nullopt;
}

std::string_view to_string(BackupFormat format) { return format == BackupFormat::pages ? "pages" : "files"; }

BackupFormat default_backup_format(const Repository& repository) {
    for (const BackupEntry& entry : repository.scan()) {
        const bool page_backup = entry.manifest ? entry.manifest->pages.has_value() : entry.data_key.ends_with(page_map_extension);
        if (entry.kind == "db" && !page_backup) return BackupFormat::files;
    }
    return BackupFormat::pages;
}

}  // namespace soniabk
