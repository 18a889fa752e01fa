#include "commands/show.hpp"

#include "commands/list.hpp"

namespace soniabk {

Json ShowResult::to_json() const {
    return {{"ok", true},
            {"backup", entry_to_json(backup)},
            {"manifest_path", backup.manifest_path.string()},
            {"manifest", backup.manifest ? backup.manifest->to_json() : Json(nullptr)}};
}

ShowResult show_backup(const ShowOptions& options) {
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    return {find_backup(entries, options.id)};
}

}  // namespace soniabk
