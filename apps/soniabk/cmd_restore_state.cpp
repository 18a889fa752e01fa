// soniabk restore state: give a stored snapshot's DLQ back to the gateway, or extract a part of it.
#include "commands.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "commands/state_restore.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>


namespace soniabk::cli {

namespace {

void print_restore_state(const StateRestoreResult& r) {
    if (r.extracted) {
        fmt::print("{}\n", r.extracted->dump(2));
        return;
    }
    fmt::print("state backup {}  {}\n", r.backup_id, r.path.string());
    if (r.dry_run) {
        fmt::print("dry run: would POST {} ({}) with {}: {}\n", r.url, human_bytes(r.size_bytes),
                   count_of(r.dlq_ids.size(), "DLQ entry", "DLQ entries"),
                   fmt::join(r.dlq_ids, ", "));
    } else if (!r.posted) {
        fmt::print("the snapshot's DLQ is empty: nothing to restore, nothing posted\n");
    } else {
        fmt::print("{} restored {} of {} (checked GET /v1/dead-letters, matched by {})\n", pass_mark(r.ok), r.restored.size(),
                   count_of(r.dlq_ids.size(), "DLQ entry", "DLQ entries"), to_string(r.match));
        if (!r.missing.empty()) fmt::print("  missing: {}\n", fmt::join(r.missing, ", "));
    }
    fmt::print("not restored: sessions {}, confirmations {}, breakers {} (ephemeral: sessions live 30 min, confirmations 120 s;\n"
               "  breakers rebuild their own state)\n",
               r.counts[StateSection::sessions], r.counts[StateSection::confirmations], r.counts[StateSection::breakers]);
}

// The `restore` command other files may have registered already; created here when this branch stands alone.
CLI::App* restore_command(CLI::App& app) {
    const auto named = app.get_subcommands([](const CLI::App* sub) { return sub->get_name() == "restore"; });
    if (!named.empty()) return named.front();
    CLI::App* restore = app.add_subcommand("restore", "Restore from a backup (see 'restore state')");
    restore->require_subcommand(1);
    return restore;
}

}  // namespace

void register_restore_state(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<RestoreStateOptions>();
    auto extract = std::make_shared<std::string>();
    auto gateway = std::make_shared<std::string>();
    CLI::App* state = restore_command(app)->add_subcommand("state", "Post a state backup's DLQ back to the gateway");
    state->add_option("ID", options->id, "State backup id or unique prefix");
    state->add_flag("--latest", options->latest, "The newest complete state backup");
    state->add_flag("--dlq", options->dlq, "Restore the dead-letter queue (sessions and confirmations are ephemeral)");
    state->add_option("--extract", *extract, "Print this part as JSON instead, for replay by hand")
        ->check(CLI::IsMember({"dlq", "sessions", "confirmations", "breakers"}));
    state->add_flag("--dry-run", options->dry_run, "Show what would be posted; post nothing");
    state->add_option("--gateway", *gateway, "Gateway URL (env SONIABK_GATEWAY; default http://127.0.0.1:7000)")
        ->envname("SONIABK_GATEWAY");
    add_duration_option(*state, "--timeout", options->timeout, "Give up on the gateway after this long (each request)");
    auto key_file = std::make_shared<std::filesystem::path>();
    add_key_file_option(*state, *key_file);
    table.add(state, [=](const GlobalOptions& global) {
        RestoreStateOptions run = *options;
        run.keys = key_options(*key_file);
        run.repo = global.require_repo();
        if (!gateway->empty()) run.gateway = *gateway;
        if (!extract->empty()) run.extract = parse_state_section(*extract);
        const StateRestoreResult result = restore_state(run);
        return Outcome{result.to_json(), [result] { print_restore_state(result); }, result.ok ? 0 : 1};
    });
}

}  // namespace soniabk::cli
