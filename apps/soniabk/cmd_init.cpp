// soniabk init: make a backup repository on purpose (backups refuse a path that is not one).
#include "commands.hpp"
#include "commands/init.hpp"
#include "key_options.hpp"
#include "output.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_init(const InitResult& result) {
    const RepositoryConfig& c = result.config;
    fmt::print("created repository {} at {}\n", c.repository_id, result.repo.string());
    fmt::print("  format      {}\n", to_string(c.format));
    fmt::print("  encryption  {}\n", to_string(c.encryption));
    fmt::print("  database    {}\n", c.source_db.empty() ? std::string("(not recorded)") : c.source_db);
    if (result.page_keys == PageKeys::created) fmt::print("  page keys   created (pages/key.json)\n");
    if (result.page_keys == PageKeys::deferred) fmt::print("  page keys   made by the first encrypted backup (no key given)\n");
    if (result.backups_found > 0) {
        fmt::print("  adopted {} already there\n", count_of(result.backups_found, "backup"));
    }
}

}  // namespace

void register_init(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<InitOptions>();
    auto format = std::make_shared<std::string>("pages");
    auto encryption = std::make_shared<std::string>("plain");
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* init = app.add_subcommand("init", "Create a backup repository at --repo (backups need one)");
    init->add_option("--format", *format, "How database backups are stored: pages (page store) or files")
        ->check(CLI::IsMember({"pages", "files"}))
        ->capture_default_str();
    init->add_option("--encryption", *encryption,
                     "plain (any backup), key_file or passphrase (only encrypted backups are accepted)")
        ->check(CLI::IsMember({"plain", "key_file", "passphrase"}))
        ->capture_default_str();
    add_key_file_option(*init, *key_file);
    table.add(init, [=](const GlobalOptions& global) {
        InitOptions run = *options;
        run.repo = global.require_repo();
        run.db = global.db;  // optional: recorded as the database the repository serves
        run.format = *parse_backup_format(*format);
        run.encryption = *parse_encryption_policy(*encryption);
        // A key given for a plain repository would be silently unused: the operator meant an encrypted one.
        if (!key_file->empty() && run.encryption == EncryptionPolicy::plain) {
            throw usage_error(fmt::format("--key-file {} given, but --encryption is plain: the repository would take "
                                          "unencrypted backups; add --encryption key_file",
                                          key_file->string()));
        }
        // The key is asked for only where it makes the page store's keys now (a passphrase prompt otherwise).
        if (run.format == BackupFormat::pages && run.encryption != EncryptionPolicy::plain) run.keys = key_options(*key_file);
        const InitResult result = init_repository(run);
        return Outcome{result.to_json(), [result] { print_init(result); }};
    });
}

}  // namespace soniabk::cli
