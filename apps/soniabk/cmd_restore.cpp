// soniabk restore: put a verified backup in place of the live database, atomically and timed.
#include "commands.hpp"
#include "base/error.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "commands/restore.hpp"
#include "commands/replaced.hpp"
#include "commands/restore_set.hpp"
#include "platform/local_time.hpp"

#include <fmt/format.h>

#include <iostream>

namespace soniabk::cli {

namespace {

void print_steps(const std::vector<StepRecord>& steps) {
    for (const auto& s : steps) {
        const std::string mark = s.skipped && s.passed ? std::string("skip") : pass_mark(s.passed);
        fmt::print("  {:<4} {:<20} {:>7.3f}s  {}\n", mark, s.step, s.duration_seconds, s.detail);
    }
}

void print_restore(const RestoreResult& r) {
    if (r.backup_id.empty() && r.error) return;  // nothing to restore: the error line (stderr) says only that
    fmt::print("{} {} into {}\n", r.dry_run ? "plan: restore" : "restore", r.backup_id.empty() ? "(no backup)" : r.backup_id,
               r.target.string());
    if (r.point) {
        fmt::print("  point: {} of lineage {} ({} s before --at)\n", (*r.point)["committed_at"].get<std::string>(),
                   (*r.point)["lineage_id"].get<std::string>(), (*r.point)["seconds_before_at"].get<double>());
    }
    print_steps(r.steps);
    if (r.dry_run) {
        for (const auto& m : r.plan) {
            fmt::print("  would {:<10} {}{}\n", m.action, m.from.string(), m.to.empty() ? "" : " -> " + m.to.string());
        }
        fmt::print("{}: needs {} of {} free; nothing was changed\n", r.ok ? "ready" : "WOULD BE REFUSED",
                   human_bytes(r.space_needed_bytes), human_bytes(r.space_available_bytes));
        return;
    }
    if (r.ok) {
        fmt::print("restored in {:.2f}s (RTO {:.0f}s: {})\n", r.duration_seconds, r.rto_target_seconds,
                   r.within_rto ? "within" : "EXCEEDED");
    } else {
        fmt::print("RESTORE FAILED after {:.2f}s\n", r.duration_seconds);
    }
    if (r.replaced_path) fmt::print("old database kept as {}\n", r.replaced_path->string());
}

void print_restore_set(const RestoreSetResult& r) {
    fmt::print("backup set {}: database {}, state {}\n", r.set_id, r.db.backup_id, r.state_backup_id);
    print_restore(r.db);
    if (r.dlq_error) {
        fmt::print("DLQ replay FAILED: {}\n", r.dlq_error->message);
    } else if (r.dlq && !r.dlq->posted) {
        fmt::print("DLQ: {}\n", r.dlq->dry_run ? "would post " + count_of(r.dlq->dlq_ids.size(), "entry", "entries")
                                                 : std::string("empty, nothing to replay"));
    } else if (r.dlq) {
        fmt::print("{} DLQ: {} of {} listed by the gateway again (matched by {})\n", pass_mark(r.dlq->ok),
                   r.dlq->restored.size(), count_of(r.dlq->dlq_ids.size(), "entry", "entries"), to_string(r.dlq->match));
    }
}

void print_removed_replaced(const RemoveReplacedResult& r) {
    const char* verb = r.dry_run ? "would remove" : "removed";
    for (const auto& d : r.removed) fmt::print("{} {}  {}\n", verb, d.path.string(), human_bytes(d.bytes));
    fmt::print("{} {} kept by restore beside {} ({})\n", verb, count_of(r.removed.size(), "replaced database"),
               r.db.string(), human_bytes(r.freed_bytes));
}

// restore --remove-replaced: the old databases earlier restores kept aside, instead of a restore.
Outcome remove_replaced_outcome(const GlobalOptions& global, const RestoreOptions& options) {
    RemoveReplacedOptions run;
    run.repo = global.require_repo();
    run.db = global.require_db();
    run.mode = options.dry_run ? RemovalMode::dry_run : RemovalMode::apply;
    const RemoveReplacedResult result = remove_replaced_databases(run);
    return Outcome{result.to_json(), [result] { print_removed_replaced(result); }};
}

}  // namespace

void register_restore(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<RestoreOptions>();
    auto latest = std::make_shared<bool>(false);
    auto at = std::make_shared<std::string>();
    auto check = std::make_shared<std::string>("full");
    auto set = std::make_shared<std::string>();
    auto gateway = std::make_shared<std::string>(default_gateway_url);
    CLI::App* restore = app.add_subcommand("restore", "Restore a database backup in place of the live database (--db)");
    restore->add_option("ID", options->id, "Backup id or unique prefix (default: the newest)");
    auto* latest_flag = restore->add_flag("--latest", *latest, "The newest complete database backup");
    auto latest_good = std::make_shared<bool>(false);
    auto* latest_good_flag = restore->add_flag(
        "--latest-good", *latest_good, "The newest database backup whose stored file verifies (size, SHA-256)");
    latest_good_flag->excludes(latest_flag);
    restore->add_option("--at", *at,
                        "The state at TIME: the newest backup taken by then, replayed through a replication lineage "
                        "when one reaches nearer; RFC 3339 (2026-11-26T01:30:00+01:00, ...Z) or local time "
                        "(2026-11-26 01:30[:00])")
        ->type_name("TIME")
        ->excludes(latest_flag)
        ->excludes(latest_good_flag);
    restore->add_flag("--dry-run", options->dry_run, "Show the plan and the checks; change nothing");
    auto remove_replaced = std::make_shared<bool>(false);
    restore->add_flag("--remove-replaced", *remove_replaced,
                      "Restore nothing: remove the old databases earlier restores kept beside --db (memory-replaced-*.db)")
        ->excludes(latest_flag)
        ->excludes(latest_good_flag);
    restore->add_flag("--force", options->force, "Restore even while another process has the database open");
    restore->add_option("--check", *check, "Check the restored copy before the swap")
        ->check(CLI::IsMember({"full", "quick", "none"}))
        ->capture_default_str();
    restore->add_option("--stop-cmd", options->stop_cmd, "Shell command run before the swap (stop services)");
    restore->add_option("--start-cmd", options->start_cmd, "Shell command run after the swap (start services)");
    restore->add_option("--health-url", options->health_urls, "Poll after the swap until HTTP 200 (repeatable)");
    add_duration_option(*restore, "--health-timeout", options->health_timeout, "How long to poll --health-url");
    add_duration_option(*restore, "--rto", options->rto, "Recovery-time objective the restore is measured against");
    restore->add_option("--set", *set, "A backup set (backup all): its database, then its DLQ replayed")
        ->type_name("SET")
        ->excludes(latest_flag);
    restore->add_option("--gateway", *gateway, "With --set: the gateway the DLQ is given back to (env SONIABK_GATEWAY)")
        ->envname("SONIABK_GATEWAY")
        ->capture_default_str();
    auto key_file = std::make_shared<std::filesystem::path>();
    add_key_file_option(*restore, *key_file);
    table.add(restore, [=](const GlobalOptions& global) {
        if (*remove_replaced) {
            if (!options->id.empty() || !at->empty() || !set->empty()) {
                throw usage_error("--remove-replaced restores nothing: give it no backup id, --at or --set");
            }
            return remove_replaced_outcome(global, *options);
        }
        RestoreOptions run = *options;
        run.trace = &global.trace();
        run.progress = &global.progress();
        run.keys = key_options(*key_file);
        run.repo = global.require_repo();
        run.target = global.require_db();
        if (!run.id.empty() && (*latest || *latest_good || !at->empty())) {
            throw usage_error("give a backup id or --latest, --latest-good or --at, not two of them");
        }
        run.selection = !run.id.empty() ? RestoreSelection::id
                        : !at->empty()  ? RestoreSelection::at
                        : *latest_good  ? RestoreSelection::latest_good
                                        : RestoreSelection::latest;
        if (!at->empty()) run.at = platform::parse_user_time(*at, "--at");
        run.check = *parse_check_mode(*check);
        if (!set->empty()) {
            if (!run.id.empty() || !at->empty() || *latest_good) {
                throw usage_error("give a backup id, --latest, --latest-good, --at or --set, not two of them");
            }
            RestoreSetOptions set_run;
            set_run.db = run;
            set_run.set_id = *set;
            set_run.gateway = *gateway;
            const RestoreSetResult result = restore_set(set_run);
            for (const auto* error : {&result.db.error, &result.dlq_error}) {
                if (*error) std::cerr << "soniabk: " << (*error)->message << '\n';
            }
            return Outcome{result.to_json(), [result] { print_restore_set(result); }, result.exit_code()};
        }
        const RestoreResult result = restore_database(run);
        if (result.error) std::cerr << "soniabk: " << result.error->message << '\n';
        return Outcome{result.to_json(), [result] { print_restore(result); }, result.exit_code()};
    });
}

}  // namespace soniabk::cli
