// soniabk recover memories: copy memories back from a backup into the live database, or un-archive them.
#include "commands.hpp"
#include "key_options.hpp"
#include "commands/recover.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_recover(const RecoverResult& r) {
    if (!r.from.empty()) fmt::print("from backup {} (schema_version {})\n", r.from,
                                    r.schema_version ? std::to_string(*r.schema_version) : std::string("none"));
    if (r.backup_id) fmt::print("pre-recover backup {}  {}\n", *r.backup_id, r.backup_path.string());
    for (const RecoveredRow& row : r.rows) {
        std::string related;
        for (const auto& [table, n] : row.related) related += fmt::format(" {} {}", table, n);
        fmt::print("  memory {:<8} {}{}{}\n", row.id, row.action, row.reason.empty() ? "" : " (" + row.reason + ")",
                   related.empty() ? "" : ", with" + related);
    }
    fmt::print("{}{} inserted, {} replaced, {} unarchived, {} skipped\n", r.dry_run ? "dry run, nothing changed: would be " : "",
               r.count("inserted"), r.count("replaced"), r.count("unarchived"), r.count("skipped"));
}

struct RecoverFlags {
    std::string deleted_since;
    bool unarchive = false;
    bool replace = false;
    std::filesystem::path key_file;
};

RecoverOptions recover_options(const RecoverOptions& parsed, const RecoverFlags& flags, const GlobalOptions& global) {
    RecoverOptions run = parsed;
    run.repo = global.require_repo();
    run.db = global.require_db();
    run.existing = flags.replace ? ExistingRow::replace : ExistingRow::skip;
    run.keys = key_options(flags.key_file);
    run.progress = &global.progress();
    const int chosen = (run.ids.empty() ? 0 : 1) + (run.match.empty() ? 0 : 1) + (flags.deleted_since.empty() ? 0 : 1);
    if (run.from.empty() || chosen != 1) {
        throw usage_error("recover memories needs --from BACKUP_ID and one of --id, --match or --deleted-since "
                          "(or --unarchive --id)");
    }
    run.selection = !run.ids.empty() ? RecoverSelection::ids
                    : !run.match.empty() ? RecoverSelection::match
                                         : RecoverSelection::deleted_since;
    if (!flags.deleted_since.empty()) {
        const auto parsed_time = parse_iso8601(flags.deleted_since);
        if (!parsed_time) throw usage_error(fmt::format("--deleted-since {}: not a time (2026-11-26T00:30:00Z)",
                                                        flags.deleted_since));
        run.deleted_since = *parsed_time;
    }
    return run;
}

Outcome run_unarchive_flags(const RecoverOptions& parsed, const RecoverFlags& flags, const GlobalOptions& global) {
    if (parsed.ids.empty() || !parsed.from.empty() || !parsed.match.empty() || !flags.deleted_since.empty() ||
        flags.replace) {
        throw usage_error("--unarchive takes --id ID... only (no --from, --match, --deleted-since or --replace)");
    }
    UnarchiveOptions run;
    run.repo = global.repo;
    run.db = global.require_db();
    run.ids = parsed.ids;
    run.dry_run = parsed.dry_run;
    run.busy_timeout = parsed.busy_timeout;
    const RecoverResult result = unarchive_memories(run);
    return Outcome{result.to_json(), [result] { print_recover(result); }};
}

}  // namespace

void register_recover(CLI::App& app, CommandTable& table) {
    CLI::App* recover = app.add_subcommand("recover", "Bring single rows back into the live database (see 'recover memories')");
    recover->require_subcommand(1);
    auto options = std::make_shared<RecoverOptions>();
    auto flags = std::make_shared<RecoverFlags>();
    CLI::App* memories = recover->add_subcommand("memories", "Copy memories back from a backup, or un-archive them");
    memories->add_option("--from", options->from, "The backup to copy from (id or unique prefix)")->type_name("BACKUP_ID");
    memories->add_option("--id", options->ids, "These memories (repeat, or several after one --id)")->type_name("ID");
    memories->add_option("--match", options->match, "The backup's memories whose content matches (FTS5, else LIKE)")
        ->type_name("TEXT");
    memories->add_option("--deleted-since", flags->deleted_since,
                         "The backup's memories the live database no longer has (the backup must be newer than TIME)")
        ->type_name("TIME");
    memories->add_flag("--unarchive", flags->unarchive, "Clear archived_at of the --id memories (no backup read)");
    memories->add_flag("--replace", flags->replace, "Overwrite a memory that exists with the backup's (row by row)");
    memories->add_flag("--dry-run", options->dry_run, "Say what would be copied; change nothing, take no backup");
    add_duration_option(*memories, "--busy-timeout", options->busy_timeout, "How long to wait for a locked database");
    add_key_file_option(*memories, flags->key_file);
    table.add(memories, [=](const GlobalOptions& global) {
        if (flags->unarchive) return run_unarchive_flags(*options, *flags, global);
        const RecoverResult result = recover_memories(recover_options(*options, *flags, global));
        return Outcome{result.to_json(), [result] { print_recover(result); }};
    });
}

}  // namespace soniabk::cli
