// A database backup read back into a private scratch file, for commands that query old rows (recover, diff, find).
#pragma once

#include "base/progress.hpp"
#include "codec/keys.hpp"
#include "io/scratch.hpp"
#include "repo/repository.hpp"

#include <filesystem>
#include <string_view>

namespace soniabk {

// The complete database backup `id_or_prefix` of the repository; a state backup is a usage error.
BackupEntry find_db_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix);

// Extracts `entry` (plain, encoded or page store), proven against its manifest, into a scratch
// directory removed with the copy when this goes.
class BackupCopy {
public:
    BackupCopy(const BackupEntry& entry, const KeyOptions& keys, Progress& progress = no_progress());
    const std::filesystem::path& path() const { return path_; }

private:
    ScratchDirectory scratch_;
    std::filesystem::path path_;
};

}  // namespace soniabk
