#include "commands/init.hpp"

#include "base/version.hpp"
#include "repo/journal.hpp"
#include "repo/repository.hpp"

namespace soniabk {

Json InitResult::to_json() const {
    return {{"ok", true},
            {"repository", repo.string()},
            {"config_path", config_path.string()},
            {"config", config.to_json()},
            {"backups_found", backups_found}};
}

InitResult init_repository(const InitOptions& options) {
    RepositoryConfig config;
    config.repository_id = new_repository_id();
    config.format = options.format;
    config.encryption = options.encryption;
    if (!options.db.empty()) config.source_db = fs::absolute(options.db).lexically_normal().string();
    config.created_at = options.clock->now();
    config.tool_version = tool_version;
    config.origin = ConfigOrigin::init;
    const Repository repo = Repository::init(options.repo, config);
    InitResult result{config, options.repo, repo.storage().location(repository_config_key), repo.scan().size()};
    append_journal(repo.storage(), JournalRecord{"init", config.created_at, true, 0,
                                                 Json{{"repository_id", config.repository_id}}});
    return result;
}

}  // namespace soniabk
