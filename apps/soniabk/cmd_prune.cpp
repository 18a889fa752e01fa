// soniabk prune: apply the retention policy (restic's forget semantics) to the repository.
#include "commands.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "page_collection_text.hpp"
#include "commands/prune.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

void print_prune(const PruneResult& result, int verbose) {
    const char* verb = result.dry_run ? "would remove" : "removed";
    print_removed_backups(result.removed, result.dry_run ? RunMode::dry_run : RunMode::apply);
    for (const auto& f : result.removed_temp_files) fmt::print("{} temp file {}\n", verb, f.path.string());
    if (verbose > 0 || result.dry_run) {
        for (const auto& k : result.kept) {
            fmt::print("keep {}  {}  {}\n", k.backup_id, format_iso8601(k.time).substr(0, 19), joined(k.reasons));
        }
    }
    for (const auto& l : result.removed_lineages) {
        fmt::print("{} replication lineage {} ({}, {}): {}\n", verb, l.lineage_id, count_of(l.objects, "object"),
                   human_bytes(l.bytes), l.reason);
    }
    print_page_collection(result.pages, result.dry_run ? RunMode::dry_run : RunMode::apply);
    fmt::print("{}: kept {}, {} {} ({})\n", result.dry_run ? "dry run" : "pruned", result.kept.size(), verb,
               count_of(result.removed.size(), "backup"), human_bytes(result.freed_bytes));
}

}  // namespace

void register_prune(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<PruneOptions>();
    options->policy = RetentionPolicy{};
    auto labels = std::make_shared<std::vector<std::string>>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* prune = app.add_subcommand("prune", "Delete backups the retention policy no longer keeps");
    prune->footer("Without any --keep-* option the policy is --keep-daily 7 (the defaults shown); any --keep-* option "
                  "replaces the whole policy.");
    // The defaults shown are the policy of a prune given no --keep-* at all; any --keep-* replaces all of it.
    const RetentionPolicy defaults = default_policy();
    auto count = [&](const char* name, int& target, const char* what, int shown) {
        return prune->add_option(name, target, what)->check(count_check())->type_name("N")->default_str(std::to_string(shown));
    };
    std::vector<CLI::Option*> keep = {
        count("--keep-last", options->policy.keep_last, "Keep the N newest backups", defaults.keep_last),
        count("--keep-daily", options->policy.keep_daily,
              "Keep each day's newest backup, for the N latest days with backups (UTC)", defaults.keep_daily),
        count("--keep-weekly", options->policy.keep_weekly, "Keep each ISO week's newest backup, for the N latest such weeks",
              defaults.keep_weekly),
        count("--keep-monthly", options->policy.keep_monthly,
              "Keep each month's newest backup, for the N latest such months", defaults.keep_monthly),
        add_duration_option(*prune, "--keep-within", options->policy.keep_within,
                            "Keep every backup this close to the newest one")};
    prune->add_option("--label", *labels, "Apply the policy to backups with this label (repeatable; default daily)")
        ->type_name("LABEL")
        ->allow_extra_args(false);
    prune->add_flag("--clean-incomplete", options->clean_incomplete,
                    "Also remove incomplete backups older than a day and the temp files of writers that no longer run");
    prune->add_flag("--dry-run", options->dry_run, "Show the plan and delete nothing");
    add_duration_option(*prune, "--keep-points-within", options->points_window,
                        "Keep point-in-time restore (replication lineages and their bases) this far back from now");
    add_duration_option(*prune, "--lock-wait", options->lock_wait, "How long to wait for the repository lock");
    add_key_file_option(*prune, *key_file);
    table.add(prune, [=](const GlobalOptions& global) {
        PruneOptions run = *options;
        run.repo = global.require_repo();
        run.keys = key_options(*key_file);
        run.progress = &global.progress();
        run.trace = &global.trace();
        // No --keep-* at all means the old schedule; any --keep-* replaces it entirely.
        const bool any_keep = std::any_of(keep.begin(), keep.end(), [](const CLI::Option* o) { return o->count() > 0; });
        if (!any_keep) run.policy = default_policy();
        if (!labels->empty()) run.labels = {labels->begin(), labels->end()};
        const PruneResult result = prune_repository(run);
        const int verbose = global.verbose;
        return Outcome{result.to_json(), [result, verbose] { print_prune(result, verbose); }};
    });
}

}  // namespace soniabk::cli
