#include "commands/init.hpp"

#include "base/version.hpp"
#include "codec/encode.hpp"
#include "pages/page_keys.hpp"
#include "repo/journal.hpp"
#include "repo/repository.hpp"

namespace soniabk {

namespace {

const char* to_string(PageKeys keys) {
    switch (keys) {
        case PageKeys::created: return "created";
        case PageKeys::deferred: return "deferred";
        case PageKeys::not_needed: break;
    }
    return "not_needed";
}

// With the key of the repository's policy at hand, the page store's keys are made now, so the repository is
// whole from the start; without it, the first encrypted backup makes them.
PageKeys make_page_keys(Repository& repo, const InitOptions& options) {
    if (options.format != BackupFormat::pages || options.encryption == EncryptionPolicy::plain) return PageKeys::not_needed;
    const bool key_at_hand = options.encryption == EncryptionPolicy::key_file ? options.keys.has_key_file()
                                                                               : options.keys.has_passphrase();
    if (!key_at_hand) return PageKeys::deferred;
    CodecOptions codec;
    codec.encrypt = true;
    codec.keys = options.keys;
    if (options.encryption == EncryptionPolicy::passphrase) codec.keys.key_file.clear();
    pages::page_keys_for_writing(repo.storage(), Encoding::resolve(codec));
    return PageKeys::created;
}

}  // namespace

Json InitResult::to_json() const {
    return {{"ok", true},
            {"repository", repo.string()},
            {"config_path", config_path.string()},
            {"config", config.to_json()},
            {"backups_found", backups_found},
            {"page_keys", to_string(page_keys)}};
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
    Repository repo = Repository::init(options.repo, config);
    InitResult result{config, options.repo, repo.storage().location(repository_config_key), repo.scan().size()};
    result.page_keys = make_page_keys(repo, options);
    append_journal(repo.storage(), JournalRecord{"init", config.created_at, true, 0,
                                                 Json{{"repository_id", config.repository_id}}});
    return result;
}

}  // namespace soniabk
