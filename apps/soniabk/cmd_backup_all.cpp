// soniabk backup all: the gateway's state and the memory database, as one backup set.
#include "commands.hpp"
#include "commands/backup_all.hpp"
#include "key_options.hpp"
#include "output.hpp"

#include <fmt/format.h>

#include <iostream>

namespace soniabk::cli {

namespace {

void print_half(const char* name, const std::optional<Manifest>& stored, const std::optional<Failure>& error, bool skipped) {
    if (stored) {
        fmt::print("  {:<5} {} {}  {}\n", name, pass_mark(true), stored->backup_id, stored->file);
    } else {
        fmt::print("  {:<5} {} {}\n", name, skipped ? std::string("skip") : pass_mark(false), error->message);
    }
}

void print_backup_all(const BackupAllResult& r) {
    fmt::print("backup set {}: {}\n", r.set_id.empty() ? "(none)" : r.set_id, r.complete() ? "complete" : "INCOMPLETE");
    print_half("state", r.state ? std::optional<Manifest>(r.state->manifest) : std::nullopt, r.state_error, r.state_skipped);
    print_half("db", r.db ? std::optional<Manifest>(r.db->manifest) : std::nullopt, r.db_error, false);
}

}  // namespace

void register_backup_all(CLI::App& backup, CommandTable& table) {
    auto options = std::make_shared<BackupAllOptions>();
    options->db.label = "manual";  // sets are taken before risky operations, and kept until deleted on purpose
    auto allow_missing = std::make_shared<bool>(false);
    auto codec = std::make_shared<CodecFlags>();
    CLI::App* all = backup.add_subcommand("all", "The gateway's state, then the database, as one backup set");
    all->add_option("--label", options->db.label, "Label of both backups (only 'daily' ones follow retention)")->capture_default_str();
    all->add_flag("--allow-missing-state", *allow_missing, "Gateway down: back up the database alone instead of failing");
    all->add_option("--gateway", options->state.gateway, "Gateway URL (env SONIABK_GATEWAY)")
        ->envname("SONIABK_GATEWAY")
        ->capture_default_str();
    all->add_option("--gateway-dir", options->state.gateway_dir, "The gateway's backups folder: its files are only read from there")
        ->envname("SONIABK_GATEWAY_DIR");
    add_duration_option(*all, "--timeout", options->state.timeout, "Give up on the gateway after this long (each step)");
    add_duration_option(*all, "--lock-wait", options->db.lock_wait, "How long to wait for another writer's repository lock");
    add_codec_options(*all, *codec);
    table.add(all, [=](const GlobalOptions& global) {
        BackupAllOptions run = *options;
        run.db.repo = run.state.repo = global.require_repo();
        run.db.db = global.require_db();
        run.db.codec = run.state.codec = codec_options(*codec);
        run.db.progress = run.state.progress = &global.progress();
        run.db.trace = &global.trace();
        run.state.lock_wait = run.db.lock_wait;
        run.state.label = run.db.label;
        run.missing_state = *allow_missing ? MissingState::allow : MissingState::fail;
        const BackupAllResult result = backup_all(run);
        for (const auto* error : {&result.state_error, &result.db_error}) {
            if (*error && !(error == &result.state_error && result.state_skipped)) std::cerr << "soniabk: " << (*error)->message << '\n';
        }
        return Outcome{result.to_json(), [result] { print_backup_all(result); }, result.exit_code()};
    });
}

}  // namespace soniabk::cli
