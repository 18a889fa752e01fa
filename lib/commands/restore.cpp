#include "commands/restore.hpp"

#include "base/error.hpp"
#include "base/wording.hpp"
#include "io/atomic_file.hpp"
#include "repo/extract.hpp"
#include "repo/journal.hpp"
#include "repo/location.hpp"
#include "repo/repository.hpp"
#include "commands/restore_point.hpp"
#include "commands/restore_support.hpp"
#include "commands/service.hpp"
#include "sqlite/swap.hpp"
#include "platform/locks.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// The state a restore carries from one step to the next.
struct RestoreRun {
    RestoreRun(const RestoreOptions& o, RestoreResult& r) : options(o), result(r) {}

    const RestoreOptions& options;
    RestoreResult& result;
    StepLog steps{"restore.", *options.trace};
    std::optional<BackupEntry> entry;
    std::optional<ReplayChoice> replay;  // --at reached through a replication lineage
    std::optional<platform::FileLock> lock;
    std::optional<TempFile> temp;  // the copy beside the target until swapped into place
    bool services_stopped = false;
    bool swapped = false;
};

StepOutcome stop_services(RestoreRun& run) {
    if (run.options.stop_cmd.empty()) return StepOutcome::skip("no --stop-cmd");
    run.services_stopped = true;  // even a failing stop may have stopped something: start it again on failure
    return StepOutcome::pass(run_service_command("--stop-cmd", run.options.stop_cmd, run.options.command_timeout,
                                                 service_environment(run.options, *run.entry)));
}

StepOutcome keep_old_database(RestoreRun& run, bool self_contained) {
    const RestoreOptions& o = run.options;
    if (!inspect_target(o.target).exists) return StepOutcome::skip("no database at the target to keep");
    const fs::path replaced = replaced_path_for(o.target, o.clock->now());
    run.result.replaced_files = keep_aside(o.target, replaced, self_contained ? Sidecars::leave : Sidecars::keep);
    run.result.replaced_path = replaced;
    return StepOutcome::pass(fmt::format("old database kept as {}", replaced.string()));
}

// The stored file differs from its manifest (size or SHA-256, whichever form stored it): `backup_damaged`, exit 1.
bool differs_from_manifest(ErrorCode code) {
    return code == ErrorCode::backup_damaged || code == ErrorCode::sha256_mismatch || code == ErrorCode::size_mismatch;
}

// A damaged backup's error also names the newest one that verifies, so the operator knows what to restore instead.
template <class Work>
auto name_good_backup_on_damage(const RestoreRun& run, Work&& work) {
    try {
        return work();
    } catch (const Error& e) {
        const ErrorCode code = e.code_id();
        if (!differs_from_manifest(code) && code != ErrorCode::content_mismatch && code != ErrorCode::integrity_check_failed) {
            throw;
        }
        const std::string hinted = std::string(e.what()) + newest_good_hint(run.options, run.entry->id());
        if (differs_from_manifest(code)) throw check_failed(ErrorCode::backup_damaged, hinted, e.path());
        throw Error(e.category(), code, hinted, e.path());
    }
}

void run_restore(RestoreRun& run) {
    const RestoreOptions& o = run.options;
    RestoreResult& r = run.result;
    // 1. Choose the backup: by id, the newest, or the newest taken at or before --at; complete database backups only.
    run.steps.run("choose_backup", [&] {
        run.entry = choose_backup_or_base(o, run.replay);
        return StepOutcome::pass(describe_choice(*run.entry, r));
    });
    // 2. Remove the temp copies of restores that were killed: they hold space and are never resumed.
    run.steps.run("clear_stale_temps", [&] {
        const std::size_t removed = remove_stale_temps(o.target).size();
        return StepOutcome::pass(count_of(removed, "leftover temp file") + " removed");
    });
    // 3. Refuse before writing anything when the disk cannot hold the temp copy plus the replaced copy.
    run.steps.run("check_space", [&] { return StepOutcome::pass(require_space(o.target, *run.entry, r)); });
    // 4. Copy the backup beside the target, hashing as it streams: its SHA-256 is proven before anything live is touched.
    run.steps.run("copy_to_temp", [&] {
        run.temp.emplace(temp_path_for(o.target));
        const FileDigest digest = name_good_backup_on_damage(run, [&] {
            return extract_verified(*run.entry, run.temp->path(), o.keys, *o.progress);
        });
        const Manifest& m = *run.entry->manifest;
        if (m.is_encoded()) {
            return StepOutcome::pass(fmt::format("{} stored bytes decoded into {} ({} bytes), SHA-256 and content digest "
                                                 "match the manifest",
                                                 digest.size_bytes, run.temp->path().filename().string(),
                                                 m.content->size_bytes));
        }
        return StepOutcome::pass(fmt::format("{} bytes copied to {}, SHA-256 matches the manifest", digest.size_bytes,
                                             run.temp->path().filename().string()));
    });
    // 4b. With --at inside a replication lineage: its segments replayed onto the base, up to --at.
    if (run.replay) {
        run.steps.run("replay_segments", [&] {
            return StepOutcome::pass(name_good_backup_on_damage(run, [&] {
                return replay_segments(o, *run.entry, *run.replay, run.temp->path(), r);
            }));
        });
    }
    // 5. PRAGMA integrity_check on the copy: only a sound database may replace the live one.
    run.steps.run("integrity_check", [&] {
        return name_good_backup_on_damage(run, [&] { return check_copy(run.temp->path(), o.check); });
    });
    // 6. Give the copy back its source's WAL mode, so the service finds its database as it left it.
    run.steps.run("set_journal_mode", [&] { return restore_journal_mode(run.temp->path(), *run.entry, o.target); });
    // 7. One restore per database at a time from here on: two swaps must never interleave.
    run.steps.run("lock_target", [&] {
        run.lock.emplace(lock_for_restore(o.target));
        return StepOutcome::pass("no other restore of this database is running");
    });
    // 8. Stop the services (--stop-cmd): nothing may have the old database open during the swap.
    run.steps.run("stop_services", [&] { return stop_services(run); });
    // 9. Refuse while another process still has the target open (unless --force): its writes would be lost.
    run.steps.run("check_target_free", [&] { return require_target_free(o.target, o.force ? TargetInUse::replace_anyway : TargetInUse::refuse); });
    // 10. Fold the old WAL (or hot journal) into the old main file, so that file alone is the whole old database.
    SettleResult settled;
    run.steps.run("settle_old_database", [&] {
        settled = settle_database(o.target);
        return StepOutcome::pass(settled.detail);
    });
    // 11. Keep the old database as <stem>-replaced-<time> by hard link: the target path is never empty.
    run.steps.run("keep_old_database", [&] { return keep_old_database(run, settled.self_contained); });
    // 12. Remove the old sidecars, rename the copy over the target atomically, fsync the directory.
    run.steps.run("swap", [&] {
        swap_into_place(run.temp->path(), o.target);
        run.temp->release();
        run.swapped = true;
        return StepOutcome::pass(fmt::format("{} now holds backup {}", o.target.string(), r.backup_id));
    });
    // 13. Start the services again (--start-cmd).
    run.steps.run("start_services", [&] {
        if (o.start_cmd.empty()) return StepOutcome::skip("no --start-cmd");
        run.services_stopped = false;
        return StepOutcome::pass(run_service_command("--start-cmd", o.start_cmd, o.command_timeout,
                                                     service_environment(o, *run.entry)));
    });
    // 14. Poll every --health-url until it answers 200: the restore is done when the service is back.
    run.steps.run("health_check", [&] {
        if (o.health_urls.empty()) return StepOutcome::skip("no --health-url");
        return StepOutcome::pass(require_healthy(o.health_urls, o.health_timeout));
    });
}

// After a failure before the swap the old database is still in place: bring the services back on it.
void restart_after_failure(RestoreRun& run) {
    if (!run.services_stopped || run.swapped || run.options.start_cmd.empty()) return;
    try {
        run.steps.run("start_services", [&] {
            const std::string detail = run_service_command("--start-cmd", run.options.start_cmd,
                                                           run.options.command_timeout,
                                                           service_environment(run.options, *run.entry));
            return StepOutcome::pass("old database left in place; " + detail);
        });
    } catch (const Error&) {
        // Already recorded as the step's failure; the first error stays the one reported.
    }
}

void journal_restore(const RestoreOptions& options, const RestoreResult& result, TimePoint at) {
    JournalRecord record{"restore", at, result.ok, result.duration_seconds};
    record.detail = {{"backup_id", result.backup_id},
                     {"target", result.target.string()},
                     {"replaced_path", result.replaced_path ? Json(result.replaced_path->string()) : Json(nullptr)},
                     {"within_rto", result.within_rto}};
    if (result.error) record.detail["error"] = result.error->to_json();
    std::error_code ec;
    // A local repository that is not there (why the restore failed) has nowhere to record it.
    if (!is_bucket_location(options.repo) && !fs::is_directory(options.repo, ec)) return;
    try {
        append_journal(Repository::open(options.repo).storage(), record);
    } catch (const Error&) {
        if (!result.error) throw;  // after a failed restore (an unreachable bucket, say) its own error is the one reported
    }
}

}  // namespace

RestoreResult restore_database(const RestoreOptions& given) {
    const RestoreOptions options = normalised(given);
    const TimePoint at = options.clock->now();
    const auto started = std::chrono::steady_clock::now();
    RestoreResult result;
    result.dry_run = options.dry_run;
    result.target = options.target;
    if (options.dry_run) {
        plan_restore(options, result);
    } else {
        RestoreRun run{options, result};
        try {
            run_restore(run);
            result.ok = true;
        } catch (const Error& e) {
            result.error = Failure::from(e);
            restart_after_failure(run);
        }
        result.steps = run.steps.records();
    }
    result.duration_seconds = seconds_since(started);
    result.rto_target_seconds = to_seconds(options.rto);
    result.within_rto = result.duration_seconds <= result.rto_target_seconds;
    if (options.journal && !options.dry_run) journal_restore(options, result, at);
    return result;
}

}  // namespace soniabk
