#include "repo_init.hpp"

#include "commands/init.hpp"

namespace soniabk::test {

void init_repo(const std::filesystem::path& repo, EncryptionPolicy encryption) {
    if (std::filesystem::exists(repo / std::string(repository_config_key))) return;
    init_repository({.repo = repo, .format = BackupFormat::files, .encryption = encryption});
}

}  // namespace soniabk::test
