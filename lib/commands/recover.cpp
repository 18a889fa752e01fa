#include "commands/recover.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "commands/backup.hpp"
#include "commands/backup_view.hpp"
#include "commands/recover_steps.hpp"
#include "repo/journaled.hpp"
#include "repo/repository.hpp"
#include "sqlite/sqlite.hpp"
#include "sqlite/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

// What to do with each selected memory; the same classification plans a dry run and runs inside the transaction.
std::vector<RecoveredRow> plan_rows(MemoryRows& rows, const std::vector<std::int64_t>& ids, ExistingRow existing) {
    std::vector<RecoveredRow> plan;
    for (const std::int64_t id : ids) {
        RecoveredRow row{id, "inserted", "", {}};
        if (!rows.in_backup(id)) {
            row.action = "skipped";
            row.reason = "not_in_backup";
        } else if (rows.in_live(id)) {
            row.action = existing == ExistingRow::replace ? "replaced" : "skipped";
            row.reason = existing == ExistingRow::replace ? "" : "exists";
        }
        if (row.action != "skipped") row.related = rows.count_in_backup(id);
        plan.push_back(std::move(row));
    }
    return plan;
}

bool changes_anything(const std::vector<RecoveredRow>& plan) {
    return std::any_of(plan.begin(), plan.end(), [](const RecoveredRow& r) { return r.action != "skipped"; });
}

void apply(MemoryRows& rows, std::vector<RecoveredRow>& plan) {
    for (RecoveredRow& row : plan) {
        if (row.action == "skipped") continue;
        if (row.action == "replaced") rows.remove_live(row.id);
        row.related = rows.copy(row.id);
    }
}

RecoverResult run_recover(const RecoverOptions& options, const BackupEntry& entry) {
    RecoverResult result;
    result.dry_run = options.dry_run;
    result.from = entry.id();
    // 1. The backup opened (a page-store one in place), attached to the live database (which is never created).
    PageStores stores;
    const BackupView backup(entry, options.keys, stores, *options.progress);
    Database db = Database::open(options.db, Database::Mode::read_write, options.busy_timeout);
    attach_backup(db, backup.sqlite_name());
    // 2. Rows are only comparable under one schema.
    result.schema_version = require_same_schema(db, entry.id());
    MemoryRows rows(db);
    result.fts = rows.fts_index();
    const std::vector<std::int64_t> ids = select_memories(db, options);
    result.rows = plan_rows(rows, ids, options.existing);
    if (options.dry_run || !changes_anything(result.rows)) return result;
    // 3. A labelled backup of the live database first: a recovery that should not have been made can be undone.
    if (options.target == RecoverTarget::live) {
        const BackupResult taken =
            backup_before_change(options.repo, options.db, "pre-recover", options.busy_timeout, *options.clock);
        result.backup_id = taken.manifest.backup_id;
        result.backup_path = taken.path;
        fault::point("recover.after_backup");
    }
    // 4. One transaction, planned again under the write lock: a writer may have added a row since.
    db.exec("PRAGMA foreign_keys = ON");
    WriteTransaction transaction(db);
    result.rows = plan_rows(rows, ids, options.existing);
    apply(rows, result.rows);
    fault::point("recover.before_commit");
    transaction.commit();
    return result;
}

Json recover_journal_detail(const RecoverResult& r) {
    return {{"from", r.from.empty() ? Json(nullptr) : Json(r.from)},
            {"inserted", r.count("inserted")},
            {"replaced", r.count("replaced")},
            {"unarchived", r.count("unarchived")},
            {"skipped", r.count("skipped")},
            {"backup_id", r.backup_id ? Json(*r.backup_id) : Json(nullptr)}};
}

}  // namespace

std::int64_t RecoverResult::count(const std::string& action) const {
    return std::count_if(rows.begin(), rows.end(), [&](const RecoveredRow& r) { return r.action == action; });
}

Json RecoverResult::to_json() const {
    Json list = Json::array();
    for (const RecoveredRow& r : rows) {
        list.push_back({{"id", r.id},
                        {"action", r.action},
                        {"reason", r.reason.empty() ? Json(nullptr) : Json(r.reason)},
                        {"related", r.related}});
    }
    Json out = {{"ok", true}, {"dry_run", dry_run}};
    out.update(recover_journal_detail(*this));
    out["schema_version"] = schema_version ? Json(*schema_version) : Json(nullptr);
    out["fts"] = fts;
    out["backup_path"] = backup_id ? Json(backup_path.string()) : Json(nullptr);
    out["rows"] = std::move(list);
    return out;
}

RecoverResult recover_memories(const RecoverOptions& options) {
    if (options.repo.empty()) throw usage_error("no repository to recover from: pass --repo DIR");
    require_sqlite_file(options.db);
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    const BackupEntry entry = find_db_backup(entries, options.from);
    require_selection_fits(options, entry);
    if (options.dry_run || options.target == RecoverTarget::scratch_copy) return run_recover(options, entry);
    const Repository repo = Repository::open_for_writing(options.repo, *options.clock);
    return run_journaled(repo.storage(), "recover memories", *options.clock, [&] { return run_recover(options, entry); },
                         recover_journal_detail);
}

RecoverResult unarchive_memories(const UnarchiveOptions& options) {
    auto work = [&] { return run_unarchive(options); };
    if (options.dry_run || options.repo.empty()) return work();
    const Repository repo = Repository::open(options.repo);
    return run_journaled(repo.storage(), "recover memories", *options.clock, work, recover_journal_detail);
}

}  // namespace soniabk
