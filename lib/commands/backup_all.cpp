#include "commands/backup_all.hpp"

#include "base/error.hpp"
#include "repo/backup_sets.hpp"

namespace soniabk {

namespace {

// The only HTTP request of a state backup is the gateway's POST: these codes mean nobody answered it.
bool gateway_down(const Error& e) { return e.code_id() == ErrorCode::unreachable || e.code_id() == ErrorCode::timeout; }

Json failed_half(const Failure& failure, bool skipped) {
    return {{"ok", false}, {"skipped", skipped}, {"error", failure.to_json()}};
}

}  // namespace

int BackupAllResult::exit_code() const {
    if (state_error && !state_skipped) return static_cast<int>(state_error->category);
    if (db_error) return static_cast<int>(db_error->category);
    return 0;
}

Json BackupAllResult::to_json() const {
    return {{"ok", exit_code() == 0},
            {"set_id", set_id.empty() ? Json(nullptr) : Json(set_id)},
            {"complete", complete()},
            {"state", state ? state->to_json() : failed_half(*state_error, state_skipped)},
            {"db", db ? db->to_json() : failed_half(*db_error, false)}};
}

BackupAllResult backup_all(const BackupAllOptions& options) {
    BackupAllResult result;
    const std::string set_id = new_set_id(options.db.clock->now());
    BackupStateOptions state = options.state;
    state.set_id = set_id;
    try {
        result.state = backup_state(state);
        result.set_id = set_id;
    } catch (const Error& e) {
        if (e.category() == ErrorCategory::usage || e.code_id() == ErrorCode::interrupted) throw;
        if (gateway_down(e) && options.missing_state == MissingState::fail) {
            throw runtime_error(e.code_id(), std::string(e.what()) + " (--allow-missing-state backs up the database alone)",
                                e.path());
        }
        result.state_error = Failure::from(e);
        result.state_skipped = gateway_down(e);
    }
    BackupDbOptions db = options.db;
    db.set_id = result.set_id;  // a database backup without its state half is an ordinary backup
    try {
        result.db = backup_database(db);
    } catch (const Error& e) {
        if (e.category() == ErrorCategory::usage) throw;
        result.db_error = Failure::from(e);
    }
    return result;
}

}  // namespace soniabk
