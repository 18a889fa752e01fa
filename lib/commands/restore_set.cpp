#include "commands/restore_set.hpp"

#include "base/error.hpp"
#include "repo/backup_sets.hpp"

#include <fmt/format.h>

namespace soniabk {

int RestoreSetResult::exit_code() const {
    if (!db.ok) return db.exit_code();
    if (dlq_error) return static_cast<int>(dlq_error->category);
    return dlq && dlq->ok ? 0 : 1;
}

Json RestoreSetResult::to_json() const {
    Json j = db.to_json();
    j["ok"] = ok();
    j["set_id"] = set_id;
    j["state_backup_id"] = state_backup_id;
    j["dlq"] = dlq ? dlq->to_json() : dlq_error ? Json{{"ok", false}, {"error", dlq_error->to_json()}} : Json(nullptr);
    return j;
}

RestoreSetResult restore_set(const RestoreSetOptions& options) {
    const std::vector<BackupSet> sets = find_sets(Repository::open(options.db.repo).scan());
    const BackupSet& set = find_set(sets, options.set_id);
    if (!set.complete()) {
        throw check_failed(ErrorCode::set_incomplete,
                           fmt::format("backup set {} has no {} backup: it cannot be restored as a set", set.set_id,
                                       set.db ? "state" : "database"));
    }
    RestoreSetResult result;
    result.set_id = set.set_id;
    result.state_backup_id = set.state->id();
    RestoreOptions db = options.db;
    db.selection = RestoreSelection::id;
    db.id = set.db->id();
    result.db = restore_database(db);
    if (!result.db.ok) return result;
    RestoreStateOptions dlq;
    dlq.repo = options.db.repo;
    dlq.id = result.state_backup_id;
    dlq.dlq = true;
    dlq.dry_run = options.db.dry_run;
    dlq.gateway = options.gateway;
    dlq.timeout = options.timeout;
    dlq.keys = options.db.keys;
    dlq.clock = options.db.clock;
    try {
        result.dlq = restore_state(dlq);
    } catch (const Error& e) {
        result.dlq_error = Failure::from(e);
    }
    return result;
}

}  // namespace soniabk
