// Every subcommand's registration function; each lives in its own cmd_*.cpp.
#pragma once

#include "cli.hpp"
#include "config.hpp"

#include <filesystem>
#include <optional>

namespace soniabk::cli {

void register_init(CLI::App& app, CommandTable& table);
void register_backup(CLI::App& app, CommandTable& table);
void register_list(CLI::App& app, CommandTable& table);
void register_show(CLI::App& app, CommandTable& table);
void register_stats(CLI::App& app, CommandTable& table);
void register_verify(CLI::App& app, CommandTable& table);
void register_prune(CLI::App& app, CommandTable& table);
void register_forget(CLI::App& app, CommandTable& table);
void register_status(CLI::App& app, CommandTable& table);
void register_unlock(CLI::App& app, CommandTable& table);
// `replicate`: the long-running follower of one database.
void register_replicate(CLI::App& app, CommandTable& table);
void register_purge_archived(CLI::App& app, CommandTable& table);
// `recover memories`.
void register_recover(CLI::App& app, CommandTable& table);
void register_diff(CLI::App& app, CommandTable& table);
void register_find(CLI::App& app, CommandTable& table);
// `backup state`, registered under `backup` by register_backup.
void register_backup_state(CLI::App& backup, CommandTable& table);
// `backup all` (state, then database, as one set), registered under `backup` by register_backup.
void register_backup_all(CLI::App& backup, CommandTable& table);
// `restore state`, under the `restore` command (created here when no other file registered it).
void register_restore_state(CLI::App& app, CommandTable& table);
void register_config(CLI::App& app, CommandTable& table, ConfigSupport& config);
void register_completion(CLI::App& app, CommandTable& table, ConfigSupport& config);
void register_help(CLI::App& app, CommandTable& table, ConfigSupport& config);
// `config` tells it where --repo and --db came from: only values the jobs would not find again are pinned.
void register_schedule(CLI::App& app, CommandTable& table, const ConfigSupport& config);
void register_restore(CLI::App& app, CommandTable& table);
void register_drill(CLI::App& app, CommandTable& table);
void register_keygen(CLI::App& app, CommandTable& table);
void register_decrypt(CLI::App& app, CommandTable& table);
void register_export(CLI::App& app, CommandTable& table);
void register_copy(CLI::App& app, CommandTable& table);
// `[copy] to` of the config file (or `copy --to`), which `backup db` copies each new backup to.
std::optional<std::filesystem::path> configured_copy_target(const CLI::App& root);

}  // namespace soniabk::cli
