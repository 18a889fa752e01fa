#include "commands/forget.hpp"

#include "base/error.hpp"
#include "commands/verify.hpp"
#include "repo/journaled.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace soniabk {

Json ForgetResult::to_json() const {
    Json list = Json::array();
    for (const auto& r : removed) list.push_back(r.to_json());
    return {{"ok", true},
            {"dry_run", dry_run},
            {"removed", list},
            {"pages", pages ? pages->to_json() : Json(nullptr)},
            {"freed_bytes", freed_bytes}};
}

namespace {

// What an interrupted forget or prune left of `id`, named in its intent file once its manifest had gone.
struct Interrupted {
    bool named = false;                   // the intent file names `id` (or a unique prefix of it)
    const BackupEntry* leftover = nullptr;  // its data, still there; null: already gone, nothing to do
};

Interrupted find_interrupted(const Repository& repo, const std::vector<BackupEntry>& entries, const std::string& id) {
    Interrupted found;
    for (const auto& [backup_id, data_key] : read_pending_backup_ids(repo)) {
        if (!backup_id.starts_with(id)) continue;
        if (found.named) return {};  // ambiguous: find_backup says so
        found.named = true;
        for (const BackupEntry& e : entries) {
            if (e.status == BackupEntry::Status::incomplete && e.data_key == data_key) found.leftover = &e;
        }
    }
    return found;
}

ForgetResult run_forget(const ForgetOptions& options, const Repository& repo) {
    // 1. Under the writer lock, so no backup is deleted while another process writes or prunes.
    std::optional<RepositoryLock> lock;
    if (!options.dry_run) lock.emplace(repo.lock_for_writing("forget", options.lock_wait, *options.progress));
    // 2. Resolve every name before deleting anything: one bad id deletes nothing.
    const std::vector<BackupEntry> entries = repo.scan();
    std::vector<const BackupEntry*> chosen;
    for (const auto& id : options.ids) {
        const Interrupted interrupted = find_interrupted(repo, entries, id);
        if (interrupted.named && interrupted.leftover == nullptr) continue;  // forgotten already
        const BackupEntry* entry = interrupted.named ? interrupted.leftover : &find_backup(entries, id);
        if (std::find(chosen.begin(), chosen.end(), entry) == chosen.end()) chosen.push_back(entry);
    }
    // 3. The newest verified backup of a kind is what a restore would use: only on purpose, with --force.
    const std::set<std::string> last_good = newest_verified_ids(entries);
    for (const BackupEntry* entry : chosen) {
        if (!options.force && entry->is_complete() && last_good.contains(entry->id())) {
            throw check_failed(ErrorCode::last_good_backup,
                               fmt::format("{}: {} is the newest {} backup that passes verification; "
                                           "pass --force to delete it anyway",
                                           entry->data_path.string(), entry->id(), entry->kind),
                               entry->data_path);
        }
    }
    // 4. A page map a remaining backup's map builds on cannot go: that backup would no longer rebuild.
    for (const BackupEntry& e : entries) {
        if (!e.manifest || !e.manifest->pages || e.manifest->pages->parent_backup_id.empty()) continue;
        if (std::find(chosen.begin(), chosen.end(), &e) != chosen.end()) continue;
        for (const BackupEntry* entry : chosen) {
            if (entry->id() != e.manifest->pages->parent_backup_id) continue;
            throw check_failed(ErrorCode::last_good_backup,
                               fmt::format("{}: {} holds the page map that {} builds on; forget {} with it",
                                           entry->data_path.string(), entry->id(), e.id(), e.id()),
                               entry->data_path);
        }
    }
    // 5. Delete as prune does: manifests first, then data; leftovers of an interrupted prune go too, as its
    //    intent file is about to be replaced.
    ForgetResult result;
    result.dry_run = options.dry_run;
    for (const BackupEntry* entry : chosen) result.removed.push_back(describe_removal(*entry, {"named by forget"}));
    const std::set<std::string> pending = read_pending_removal(repo);
    for (const BackupEntry& e : entries) {
        if (e.status != BackupEntry::Status::incomplete || !pending.contains(e.data_key)) continue;
        if (std::find(chosen.begin(), chosen.end(), &e) != chosen.end()) continue;
        chosen.push_back(&e);
        result.removed.push_back(describe_removal(e, {"leftover of an interrupted prune"}));
    }
    for (const auto& r : result.removed) result.freed_bytes += r.bytes;
    if (!options.dry_run) remove_backups(repo, chosen);
    // 6. Then the pages no remaining backup's map names.
    std::vector<const BackupEntry*> remaining;
    for (const BackupEntry& e : entries) {
        if (std::find(chosen.begin(), chosen.end(), &e) == chosen.end()) remaining.push_back(&e);
    }
    result.pages = collect_page_store(repo, remaining, options.keys,
                                      options.dry_run ? pages::CollectMode::plan_only : pages::CollectMode::apply);
    if (result.pages) result.freed_bytes += result.pages->freed_bytes();
    return result;
}

}  // namespace

ForgetResult forget_backups(const ForgetOptions& options) {
    if (options.ids.empty()) throw usage_error("forget needs at least one backup id");
    const Repository repo = Repository::open(options.repo);
    if (options.dry_run) return run_forget(options, repo);
    return run_journaled(
        repo.storage(), "forget", *options.clock, [&] { return run_forget(options, repo); },
        [&](const ForgetResult& r) {
            Json ids = Json::array();
            for (const auto& removed : r.removed) ids.push_back(removed.backup_id);
            return Json{{"removed", ids}, {"forced", options.force}, {"freed_bytes", r.freed_bytes}};
        });
}

}  // namespace soniabk
