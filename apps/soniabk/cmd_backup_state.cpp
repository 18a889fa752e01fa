// soniabk backup state: store a verified copy of the gateway's state snapshot (or import one).
#include "commands.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "commands/state_backup.hpp"
#include "base/environment.hpp"

#include <fmt/format.h>


namespace soniabk::cli {

namespace {

void print_backup_state(const StateBackupResult& result) {
    const Manifest& m = result.manifest;
    const StateInfo& s = result.state;
    fmt::print("state backup {} ({}, {})\n", m.backup_id, m.label, format_iso8601(m.created_at));
    fmt::print("  path      {}\n", result.path.string());
    fmt::print("  from      {} ({}), gateway backup {} of {}\n", m.source, m.method, s.gateway_backup_id, s.gateway_timestamp);
    fmt::print("  entries   sessions {}, confirmations {}, dlq {}, breakers {}\n", s.sessions_count, s.confirmations_count,
               s.dlq_count, s.breakers_count);
    fmt::print("  size      {}  sha256 {}\n", human_bytes(m.size_bytes), m.sha256);
    fmt::print("  took      {:.2f}s\n", m.duration_seconds);
}

// --gateway, else SONIABK_GATEWAY, else the default; read by hand so the variable never conflicts with --from.
std::string chosen_gateway(const std::string& flag) {
    if (!flag.empty()) return flag;
    const std::string env = environment("SONIABK_GATEWAY");
    return env.empty() ? std::string(default_gateway_url) : env;
}

}  // namespace

void register_backup_state(CLI::App& backup, CommandTable& table) {
    auto options = std::make_shared<BackupStateOptions>();
    auto gateway = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    CLI::App* state = backup.add_subcommand("state", "Verified copy of the gateway's state (sessions, confirmations, DLQ, breakers)");
    auto* gateway_flag = state->add_option("--gateway", *gateway, "Gateway URL (env SONIABK_GATEWAY; default http://127.0.0.1:7000)");
    state->add_option("--gateway-dir", options->gateway_dir, "The gateway's backups folder: its files are only read from there")
        ->envname("SONIABK_GATEWAY_DIR");
    state->add_option("--from", *from, "Import this snapshot file instead ('-': standard input)")->excludes(gateway_flag);
    state->add_option("--label", options->label, "Label: 'daily' backups follow retention; others are kept")
        ->capture_default_str();
    add_duration_option(*state, "--timeout", options->timeout, "Give up on the gateway after this long (each step)");
    add_duration_option(*state, "--lock-wait", options->lock_wait, "How long to wait for another writer's repository lock");
    auto codec = std::make_shared<CodecFlags>();
    add_codec_options(*state, *codec);
    table.add(state, [=](const GlobalOptions& global) {
        BackupStateOptions run = *options;
        run.codec = codec_options(*codec);
        run.repo = global.require_repo();
        run.gateway = chosen_gateway(*gateway);
        run.progress = &global.progress();
        if (!from->empty()) run.from = *from;
        const StateBackupResult result = backup_state(run);
        return Outcome{result.to_json(), [result, repo = run.repo] {
                           if (result.repository_adopted) print_adopted(repo);
                           print_backup_state(result);
                       }};
    });
}

}  // namespace soniabk::cli
