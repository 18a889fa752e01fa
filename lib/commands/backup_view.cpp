#include "commands/backup_view.hpp"

#include "base/error.hpp"
#include "repo/extract.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

namespace soniabk {

BackupEntry find_db_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix) {
    const BackupEntry& entry = find_backup(entries, id_or_prefix);
    if (entry.kind != "db") {
        throw usage_error(fmt::format("backup {} is a {} backup, not a database backup", entry.id(), entry.kind));
    }
    return entry;
}

pages::PageStoreReader& PageStores::reader(const BackupEntry& entry, const KeyOptions& keys) {
    std::unique_ptr<pages::PageStoreReader>& reader = readers_[entry.manifest->encryption.has_value()];
    if (!reader) reader = std::make_unique<pages::PageStoreReader>(*entry.storage, page_keys_of(entry, keys));
    return *reader;
}

BackupView::BackupView(const BackupEntry& entry, const KeyOptions& keys, PageStores& stores, Progress& progress)
    : shown_as_(entry.data_path) {
    if (is_page_backup(entry)) {
        image_ = stores.reader(entry, keys).image(map_ref_of(entry));
        registration_.emplace(*image_);
        return;
    }
    scratch_.emplace("soniabk-read");
    path_ = scratch_->path() / "backup.db";
    extract_verified(entry, path_, keys, progress);
}

std::string BackupView::sqlite_name() const { return registration_ ? registration_->uri() : sqlite_filename(path_); }

Database BackupView::open() const {
    if (registration_) return Database::open_uri(registration_->uri(), shown_as_);
    return Database::open(path_, Database::Mode::read_only);
}

}  // namespace soniabk
