#include "repo_init.hpp"

#include "commands/init.hpp"

namespace soniabk::test {

void init_repo(const std::filesystem::path& repo, EncryptionPolicy encryption) {
    if (std::filesystem::exists(repo / std::string(repository_config_key))) return;
    init_repository({.repo = repo, .format = BackupFormat::files, .encryption = encryption});
}

BackupResult backup_files(const std::filesystem::path& repo, const std::filesystem::path& db, const Clock& clock) {
    init_repo(repo);
    BackupDbOptions options;
    options.repo = repo;
    options.db = db;
    options.format = BackupFormat::files;
    options.clock = &clock;
    return backup_database(options);
}

}  // namespace soniabk::test
