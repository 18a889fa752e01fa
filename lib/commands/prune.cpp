#include "commands/prune.hpp"

#include "base/steps.hpp"
#include "base/wording.hpp"
#include "commands/verify.hpp"
#include "repo/journaled.hpp"

#include <fmt/format.h>

#include <optional>

namespace soniabk {

Json KeptBackup::to_json() const {
    return {{"backup_id", backup_id},
            {"kind", kind},
            {"label", label.empty() ? Json(nullptr) : Json(label)},
            {"timestamp", format_iso8601(time)},
            {"reasons", reasons}};
}

Json PruneResult::to_json() const {
    Json kept_list = Json::array();
    for (const auto& k : kept) kept_list.push_back(k.to_json());
    Json removed_list = Json::array();
    for (const auto& r : removed) removed_list.push_back(r.to_json());
    Json temps = Json::array();
    for (const auto& f : removed_temp_files) temps.push_back(f.to_json());
    Json lineages = Json::array();
    for (const auto& l : removed_lineages) lineages.push_back(l.to_json());
    return {{"ok", true},          {"dry_run", dry_run},         {"policy", policy.to_json()},
            {"labels", labels},    {"kept", kept_list},          {"removed", removed_list},
            {"removed_temp_files", temps}, {"removed_lineages", lineages}, {"pages", pages ? pages->to_json() : Json(nullptr)},
            {"freed_bytes", freed_bytes}};
}

namespace {

// The page store's garbage collection after the plan (a dry run: only counted), one step at -v.
void collect_pages(const PruneOptions& options, const Repository& repo, const std::vector<const BackupEntry*>& remaining,
                   pages::CollectMode mode, PruneResult& result) {
    StepTimer collecting(*options.trace, "collect_pages");
    result.pages = collect_page_store(repo, remaining, options.keys, mode);
    if (result.pages) result.freed_bytes += result.pages->freed_bytes();
    collecting.done(result.pages ? StepOutcome::pass(fmt::format("{} bytes freed", result.pages->freed_bytes()))
                                 : StepOutcome::skip("no page store"));
}

PruneResult run_prune(const PruneOptions& options, const Repository& repo) {
    // 1. Backups hold the lock from start to manifest, so under it nothing is half-written by a live process.
    //    A dry run only reads and takes no lock.
    std::optional<RepositoryLock> lock;
    if (!options.dry_run) {
        StepTimer locking(*options.trace, "lock");
        lock.emplace(repo.lock_for_writing("prune", options.lock_wait, *options.progress));
        locking.done(StepOutcome::pass(repo.root().string()));
    }
    // 2. One scan: the plan and the deletions see the same repository.
    StepTimer planning(*options.trace, "plan");
    const std::vector<BackupEntry> entries = repo.scan();
    const TimePoint now = options.clock->now();
    RetentionRules rules;
    rules.policy = options.policy;
    rules.labels = options.labels;
    rules.labels.insert("replica");  // replication's bases follow the policy once no lineage needs them
    rules.clean_incomplete = options.clean_incomplete;
    // 3. The newest backup of each kind that verifies is the one recovery depends on: never pruned.
    rules.protected_ids = newest_verified_ids(entries);
    // 4. Leftovers of an interrupted prune are finished whatever their age.
    rules.pending_removal = read_pending_removal(repo);
    // 4b. Point-in-time restore stays possible for the window: the bases of lineages with points in it stay.
    const ReplicaRetention replicas = plan_replica_retention(repo.storage(), now, options.points_window);
    rules.kept_for = replicas.bases_kept;
    const RetentionPlan plan = plan_retention(entries, rules, now);
    // 5. Report the plan; a dry run stops here, so its plan is exactly the one a real run carries out.
    PruneResult result;
    result.dry_run = options.dry_run;
    result.policy = options.policy;
    result.labels.assign(options.labels.begin(), options.labels.end());
    for (const auto& p : plan.keep) {
        result.kept.push_back({p.entry->id(), p.entry->kind, p.entry->label(), p.entry->time, p.reasons});
    }
    std::vector<const BackupEntry*> doomed;
    for (const auto& p : plan.remove) {
        result.removed.push_back(describe_removal(*p.entry, p.reasons));
        result.freed_bytes += result.removed.back().bytes;
        doomed.push_back(p.entry);
    }
    if (options.clean_incomplete) result.removed_temp_files = stale_temp_files(repo, now, rules.incomplete_grace);
    for (const auto& f : result.removed_temp_files) result.freed_bytes += f.bytes;
    std::vector<const BackupEntry*> remaining;
    for (const auto& p : plan.keep) remaining.push_back(p.entry);
    planning.done(StepOutcome::pass(fmt::format("keep {}, remove {} and {}", count_of(result.kept.size(), "backup"),
                                                count_of(result.removed.size(), "backup"),
                                                count_of(result.removed_temp_files.size(), "temp file"))));
    std::set<std::string> remaining_ids;
    for (const BackupEntry* entry : remaining) remaining_ids.insert(entry->id());
    if (options.dry_run) {
        result.removed_lineages = remove_lineages(repo.storage(), replicas, remaining_ids, false);
        for (const auto& l : result.removed_lineages) result.freed_bytes += l.bytes;
        collect_pages(options, repo, remaining, pages::CollectMode::plan_only, result);
        return result;
    }
    // 6. Delete: manifests first, then data (see remove_backups), then stale temp files.
    StepTimer removing(*options.trace, "remove");
    remove_backups(repo, doomed);
    remove_files(repo, result.removed_temp_files);
    removing.done(StepOutcome::pass(fmt::format("{} and {}", count_of(doomed.size(), "backup"),
                                                count_of(result.removed_temp_files.size(), "temp file"))));
    // 6b. Then the lineages no longer restorable: their segments are all they hold.
    result.removed_lineages = remove_lineages(repo.storage(), replicas, remaining_ids, true);
    for (const auto& l : result.removed_lineages) result.freed_bytes += l.bytes;
    // 7. Then the pages no remaining backup's map names, now that the maps naming them are gone.
    collect_pages(options, repo, remaining, pages::CollectMode::apply, result);
    return result;
}

Json prune_journal_detail(const PruneResult& result) {
    Json removed = Json::array();
    for (const auto& r : result.removed) removed.push_back(r.backup_id);
    Json lineages = Json::array();
    for (const auto& l : result.removed_lineages) lineages.push_back(l.lineage_id);
    return {{"policy", result.policy.to_json()},
            {"labels", result.labels},
            {"kept", result.kept.size()},
            {"removed", removed},
            {"removed_temp_files", result.removed_temp_files.size()},
            {"removed_lineages", lineages},
            {"pages", result.pages ? result.pages->to_json() : Json(nullptr)},
            {"freed_bytes", result.freed_bytes}};
}

}  // namespace

PruneResult prune_repository(const PruneOptions& options) {
    if (options.policy.empty()) {
        throw usage_error("the retention policy keeps nothing: give a --keep-* option above zero");
    }
    if (options.labels.empty()) throw usage_error("prune needs at least one label to apply the policy to");
    const Repository repo = Repository::open(options.repo);
    // A dry run changes nothing, so it leaves no journal line.
    if (options.dry_run) return run_prune(options, repo);
    return run_journaled(
        repo.storage(), "prune", *options.clock, [&] { return run_prune(options, repo); }, prune_journal_detail);
}

}  // namespace soniabk
