#include "commands/drill.hpp"

#include "commands/drill_record.hpp"
#include "base/error.hpp"
#include "sonia/memory_search.hpp"
#include "repo/backup_sets.hpp"
#include "repo/repository.hpp"
#include "commands/restore.hpp"
#include "commands/verify.hpp"
#include "commands/service.hpp"
#include "sqlite/snapshot.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

// The state a drill carries from one step to the next, and what its incident bundle reports.
struct DrillRun {
    DrillRun(const DrillOptions& o, DrillResult& r) : options(o), result(r) {}

    const DrillOptions& options;
    DrillResult& result;
    StepLog steps{"drill.", *options.trace};
    std::optional<BackupEntry> entry;
    fs::path database;  // the restored copy in the scratch directory
    Json restore = nullptr;
    std::string integrity_output = "not run";
};

// Runs one step; an error fails that step only (the log records it), never the whole drill.
bool attempt(DrillRun& run, std::string_view name, const std::function<StepOutcome()>& work) {
    try {
        return run.steps.run(name, work).passed;
    } catch (const Error&) {
        return false;
    }
}

// The steps after `after` this drill runs, recorded as not run.
void not_run(DrillRun& run, std::string_view after, const std::string& reason) {
    std::vector<std::string_view> names{"restore_database", "integrity_check", "search_test"};
    if (run.options.recover_probe == RecoverProbe::run) names.emplace_back("recover_probe");
    names.emplace_back("service_restart");
    const auto first = after.empty() ? names.begin() : std::find(names.begin(), names.end(), after) + 1;
    for (auto name = first; name != names.end(); ++name) run.steps.not_run(*name, reason);
}

StepOutcome backup_exists(DrillRun& run) {
    const DrillOptions& o = run.options;
    const std::vector<BackupEntry> entries = Repository::open(o.repo).scan();
    const BackupEntry* newest = newest_complete(entries, "db");
    if (newest) run.result.rpo_actual_seconds = to_seconds(o.clock->now() - newest->time);
    const BackupEntry* chosen = !o.id.empty() ? &find_backup(entries, o.id) : o.at ? newest_db_at_or_before(entries, *o.at) : newest;
    if (chosen == nullptr && o.at) {
        return StepOutcome::fail(
            fmt::format("{}: no complete database backup taken at or before {}", o.repo.string(), format_iso8601(*o.at)));
    }
    if (chosen == nullptr) return StepOutcome::fail(fmt::format("{}: no complete database backup", o.repo.string()));
    if (!chosen->is_complete() || chosen->kind != "db") {
        return StepOutcome::fail(fmt::format("{} is not a complete database backup", chosen->id()));
    }
    run.entry = *chosen;
    run.result.backup_id = chosen->id();
    const Duration age = o.clock->now() - newest->time;
    const std::string detail = fmt::format("{} taken {}; newest backup is {} old (RPO {})", chosen->id(),
                                           format_iso8601(chosen->time),
                                           format_duration(std::chrono::floor<std::chrono::seconds>(age)),
                                           format_duration(o.rpo));
    return age <= o.rpo ? StepOutcome::pass(detail) : StepOutcome::fail(detail);
}

// Both halves of the newest backup set are there and pass verify (manifest, data, size, SHA-256).
StepOutcome backup_set(const DrillOptions& o, const BackupSet& set) {
    if (!set.complete()) return StepOutcome::fail(fmt::format("set {} is incomplete: no {} backup", set.set_id, set.db ? "state" : "database"));
    for (const BackupEntry* half : {&*set.db, &*set.state}) {
        for (const auto& check : verify_backup(*half, VerifyDepth::stored, o.keys).checks) {
            if (!check.ok) {
                return StepOutcome::fail(fmt::format("set {}: {} backup {}: {} check failed: {}", set.set_id, half->kind,
                                                     half->id(), check.name, check.detail));
            }
        }
    }
    return StepOutcome::pass(fmt::format("set {} taken {}: database {} and state {} present and verified", set.set_id,
                                         format_iso8601(set.time), set.db->id(), set.state->id()));
}

// The real restore pipeline, aimed at a scratch directory instead of the live database.
StepOutcome restore_into_scratch(DrillRun& run) {
    const DrillOptions& o = run.options;
    const fs::path parent = o.scratch_parent.empty() ? fs::temp_directory_path() : o.scratch_parent;
    run.result.scratch_dir = platform::create_private_temp_directory(parent, "soniabk-drill-");
    const fs::path source = run.entry->manifest->source;
    run.database = run.result.scratch_dir / (source.has_filename() ? source.filename() : fs::path("memory.db"));
    RestoreOptions restore;
    restore.repo = o.repo;
    restore.target = run.database;
    // With --at, restore chooses again: the same backup, or a lineage whose point reaches nearer the time.
    restore.selection = o.at ? RestoreSelection::at : RestoreSelection::id;
    restore.id = o.at ? std::string() : run.entry->id();
    restore.at = o.at.value_or(TimePoint{});
    restore.check = CheckMode::none;  // the drill's own integrity_check step follows
    restore.rto = o.rto;
    restore.journal = false;
    restore.keys = o.keys;
    restore.progress = o.progress;
    restore.trace = o.trace;
    restore.clock = o.clock;
    const RestoreResult restored = restore_database(restore);
    run.restore = restored.to_json();
    if (!restored.ok) {
        if (restored.error->category == ErrorCategory::usage) run.result.error = restored.error;
        return StepOutcome::fail(restored.error->message);
    }
    if (restored.point) {
        run.result.point = restored.point;
        run.result.backup_id = restored.backup_id;
        return StepOutcome::pass(fmt::format("{} replayed to {} into {}, its pages checked against the segments",
                                             restored.backup_id, (*restored.point)["committed_at"].get<std::string>(),
                                             run.database.string()));
    }
    const Manifest& m = *run.entry->manifest;
    if (m.is_encoded()) {
        return StepOutcome::pass(fmt::format("{} decoded into {} with its SHA-256 and content digest verified ({} bytes)",
                                             restored.backup_id, run.database.string(), m.content->size_bytes));
    }
    return StepOutcome::pass(fmt::format("{} restored into {} with its SHA-256 verified ({} bytes)", restored.backup_id,
                                         run.database.string(), m.size_bytes));
}

StepOutcome integrity_check(DrillRun& run) {
    const CheckRecord record = check_database(run.database, CheckMode::full);
    run.integrity_output = record.result;
    const std::string detail = "integrity_check: " + record.result;
    return record.result == "ok" ? StepOutcome::pass(detail) : StepOutcome::fail(detail);
}

StepOutcome service_restart(DrillRun& run) {
    const DrillOptions& o = run.options;
    if (o.restart_cmd.empty() && o.health_urls.empty()) return StepOutcome::skip("no --restart-cmd or --health-url");
    std::string detail;
    if (!o.restart_cmd.empty()) {
        detail = run_service_command("--restart-cmd", o.restart_cmd, o.command_timeout,
                                     {{"SONIABK_DRILL_DB", run.database.string()},
                                      {"SONIABK_DRILL_DIR", run.result.scratch_dir.string()},
                                      {"SONIABK_BACKUP_ID", run.result.backup_id}});
    }
    if (!o.health_urls.empty()) {
        detail += (detail.empty() ? "" : "; ") + require_healthy(o.health_urls, o.health_timeout);
    }
    return StepOutcome::pass(detail);
}

StepOutcome recover_probe(DrillRun& run) {
    const DrillOptions& o = run.options;
    run.result.recover_probe.emplace();
    return run_recover_probe({o.repo, run.database, run.result.backup_id, o.keys, o.clock, o.progress},
                             *run.result.recover_probe);
}

void run_steps(DrillRun& run) {
    const DrillOptions& o = run.options;
    // 1. backup_exists: there is a backup to drill, and the newest is within the recovery point objective.
    attempt(run, "backup_exists", [&] { return backup_exists(run); });
    // 1b. backup_set: when `backup all` made sets, the newest has both halves, verified.
    const std::vector<BackupSet> sets = find_sets(Repository::open(o.repo).scan());
    if (!sets.empty()) attempt(run, "backup_set", [&] { return backup_set(o, sets.front()); });
    if (!run.entry) return not_run(run, {}, "no backup to drill");
    // 2. restore_database: the real restore, into a private scratch directory: copy + SHA-256 check.
    if (!attempt(run, "restore_database", [&] { return restore_into_scratch(run); })) {
        return not_run(run, "restore_database", "restore_database failed");
    }
    // 3. integrity_check: PRAGMA integrity_check on the restored copy says ok.
    attempt(run, "integrity_check", [&] { return integrity_check(run); });
    // 4. search_test: the restored memories are found again (given text, or a sample found by its content).
    attempt(run, "search_test", [&] {
        return run_search_test(run.database, {o.search, o.expect_min, o.sample_size});
    });
    // 4b. recover_probe (--recover-probe): a memory hard-deleted from the copy comes back from the backup.
    if (o.recover_probe == RecoverProbe::run) attempt(run, "recover_probe", [&] { return recover_probe(run); });
    // 5. service_restart: --restart-cmd, then every --health-url answers 200.
    attempt(run, "service_restart", [&] { return service_restart(run); });
}

}  // namespace

DrillResult run_drill(const DrillOptions& options) {
    Repository::open(options.repo);  // a missing repository is an error, not a failed drill
    DrillResult result;
    result.started_at = options.clock->now();
    result.drill_id = "drl_" + new_backup_id(result.started_at).substr(4);  // same form as backup ids
    result.rto_target_seconds = to_seconds(options.rto);
    result.rpo_target_seconds = to_seconds(options.rpo);
    const auto started = std::chrono::steady_clock::now();
    DrillRun run(options, result);
    run_steps(run);
    result.rto_actual_seconds = seconds_since(started);
    result.finished_at = options.clock->now();
    result.steps = run.steps.records();
    const bool every_step_ran = std::none_of(result.steps.begin(), result.steps.end(),
                                             [](const StepRecord& s) { return s.skipped && !s.passed; });
    result.status = every_step_ran ? "completed" : "failed";
    result.passed = run.steps.all_passed() && result.rto_actual_seconds <= result.rto_target_seconds;
    DrillEvidence evidence{run.restore, run.integrity_output, {}};
    if (run.entry) {
        try {
            evidence.manifest = run.entry->storage->read_all(run.entry->manifest_key);
        } catch (const Error&) {
            // The bundle is evidence of a failure; a manifest that cannot be read is part of that story, not a new one.
        }
    }
    record_drill(options, result, evidence);
    return result;
}

}  // namespace soniabk
