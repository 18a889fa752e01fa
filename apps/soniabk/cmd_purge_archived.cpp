// soniabk purge-archived: hard-delete memories archived longer ago than --older-than, after a backup.
#include "commands.hpp"
#include "commands/purge.hpp"
#include "output.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_purge(const PurgeResult& r) {
    fmt::print("{} archived before {}\n", count_of(r.matched, "memory", "memories"), format_iso8601(r.cutoff).substr(0, 19));
    if (r.unparsable > 0) {
        fmt::print("{} an archived_at that is not a time: left alone\n",
                   r.unparsable == 1 ? std::string("1 memory has") : fmt::format("{} memories have", r.unparsable));
    }
    if (r.backup_id) fmt::print("pre-purge backup {}  {}\n", *r.backup_id, r.backup_path.string());
    if (r.dry_run) {
        fmt::print("dry run: nothing deleted\n");
    } else {
        fmt::print("deleted {} (search index: {})\n", count_of(r.deleted, "memory", "memories"), r.fts);
    }
}

}  // namespace

void register_purge_archived(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<PurgeOptions>();
    CLI::App* purge = app.add_subcommand("purge-archived", "Hard-delete memories archived longer ago than a cutoff");
    // Required, so no default: deleting memories is never implied.
    add_duration_option(*purge, "--older-than", options->older_than, "Delete memories archived longer ago (e.g. 365d)")
        ->required()
        ->default_str("");
    purge->add_flag("--dry-run", options->dry_run, "Count what would be deleted; take no backup, delete nothing");
    add_duration_option(*purge, "--busy-timeout", options->busy_timeout, "How long to wait for a locked database");
    table.add(purge, [=](const GlobalOptions& global) {
        PurgeOptions run = *options;
        run.db = global.require_db();
        if (!run.dry_run) run.repo = global.require_repo();
        const PurgeResult result = purge_archived(run);
        return Outcome{result.to_json(), [result] { print_purge(result); }};
    });
}

}  // namespace soniabk::cli
