// A database backup opened for commands that query old rows (find, diff, recover): a page-store backup read in
// place through the image VFS (only the pages a query touches, each checked against its id), any other backup
// extracted, proven against its manifest, into a private scratch file.
#pragma once

#include "base/progress.hpp"
#include "codec/keys.hpp"
#include "io/scratch.hpp"
#include "pages/page_image.hpp"
#include "repo/repository.hpp"
#include "sqlite/image_vfs.hpp"
#include "sqlite/sqlite.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

// The complete database backup `id_or_prefix` of the repository; a state backup is a usage error.
BackupEntry find_db_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix);

// The page stores of one repository, opened once for all the backups a command reads (plain and encrypted
// stores apart: their page ids never meet).
class PageStores {
public:
    pages::PageStoreReader& reader(const BackupEntry& entry, const KeyOptions& keys);

private:
    std::map<bool, std::unique_ptr<pages::PageStoreReader>> readers_;  // by "encrypted"
};

class BackupView {
public:
    // `stores` (which must outlive the view) serves page-store backups.
    BackupView(const BackupEntry& entry, const KeyOptions& keys, PageStores& stores, Progress& progress = no_progress());
    BackupView(const BackupView&) = delete;
    BackupView& operator=(const BackupView&) = delete;

    // The filename SQLite opens or ATTACHes (a URI for an image).
    std::string sqlite_name() const;
    Database open() const;

private:
    fs::path shown_as_;  // the backup's data file, for messages
    std::optional<ScratchDirectory> scratch_;
    fs::path path_;  // the extracted copy
    std::unique_ptr<pages::PageImage> image_;
    std::optional<ImageRegistration> registration_;
};

}  // namespace soniabk
