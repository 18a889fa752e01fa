// The one step every test that writes backups takes first: `soniabk init`, as an operator would.
#pragma once

#include "base/clock.hpp"
#include "commands/backup.hpp"
#include "repo/repository_config.hpp"

#include <filesystem>

namespace soniabk::test {

// Makes `repo` a repository (format files, the policy given) unless it already is one, so a test's own
// backup helper can call it before each backup.
void init_repo(const std::filesystem::path& repo, EncryptionPolicy encryption = EncryptionPolicy::plain);
// A plain backup of `db` in the files format into `repo` (initialised first), for tests about stored files.
BackupResult backup_files(const std::filesystem::path& repo, const std::filesystem::path& db,
                          const Clock& clock = system_clock());

}  // namespace soniabk::test
