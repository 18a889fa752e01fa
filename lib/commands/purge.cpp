#include "commands/purge.hpp"

#include "commands/backup.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "sonia/fts_upkeep.hpp"
#include "repo/journaled.hpp"
#include "repo/repository.hpp"
#include "sqlite/sqlite.hpp"
#include "sqlite/transaction.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// Archived before the cutoff: ISO-8601 text compared as a time (?2), Unix seconds as a number (?1).
// Text SQLite cannot read as a time matches nothing, so a strange value is never deleted by accident.
constexpr const char* archived_before =
    "archived_at IS NOT NULL AND CASE WHEN typeof(archived_at) IN ('integer', 'real') THEN archived_at < ?1 "
    "ELSE julianday(archived_at) < julianday(?2) END";

Statement with_cutoff(Database& db, const std::string& sql, TimePoint cutoff) {
    Statement stmt = db.prepare(sql);
    stmt.bind(1, std::chrono::duration_cast<std::chrono::seconds>(cutoff.time_since_epoch()).count());
    stmt.bind(2, format_iso8601(cutoff));
    return stmt;
}

std::int64_t count_archived_before(Database& db, TimePoint cutoff) {
    Statement stmt = with_cutoff(db, fmt::format("SELECT count(*) FROM memories WHERE {}", archived_before), cutoff);
    stmt.step();
    return stmt.column_int(0);
}

void run_with_cutoff(Database& db, const std::string& sql, TimePoint cutoff) {
    Statement stmt = with_cutoff(db, sql, cutoff);
    while (stmt.step()) {
    }
}

PurgeResult run_purge(const PurgeOptions& options) {
    // 1. Refuse a foreign database before anything is written.
    require_sqlite_file(options.db);
    Database db = Database::open(options.db, Database::Mode::read_write, options.busy_timeout);
    if (!db.has_column("memories", "archived_at")) {
        throw Error(ErrorCategory::usage, ErrorCode::no_archived_at,
                    fmt::format("{}: has no memories.archived_at column: not a SONIA memory store with soft deletes",
                                options.db.string()),
                    options.db);
    }
    PurgeResult result;
    result.dry_run = options.dry_run;
    result.cutoff = options.clock->now() - options.older_than;
    // 2. Know how the search index follows before deleting (an index soniabk cannot keep in step refuses).
    const FtsUpkeep fts = plan_fts_upkeep(db, archived_before);
    result.fts = fts.method;
    result.matched = count_archived_before(db, result.cutoff);
    result.unparsable =
        db.query_int("SELECT count(*) FROM memories WHERE typeof(archived_at) = 'text' AND julianday(archived_at) IS NULL")
            .value_or(0);
    if (options.dry_run || result.matched == 0) return result;
    // 3. A labelled backup first: the deleted memories stay recoverable.
    const BackupResult taken =
        backup_before_change(options.repo, options.db, "pre-purge", options.busy_timeout, *options.clock);
    result.backup_id = taken.manifest.backup_id;
    result.backup_path = taken.path;
    fault::point("purge.after_backup");
    // 4. One transaction: the index entries, then the rows; foreign keys enforced as the schema declares them.
    db.exec("PRAGMA foreign_keys = ON");
    WriteTransaction transaction(db);
    result.deleted = count_archived_before(db, result.cutoff);
    if (!fts.delete_sql.empty()) run_with_cutoff(db, fts.delete_sql, result.cutoff);
    run_with_cutoff(db, fmt::format("DELETE FROM memories WHERE {}", archived_before), result.cutoff);
    fault::point("purge.before_commit");
    transaction.commit();
    return result;
}

}  // namespace

Json PurgeResult::to_json() const {
    return {{"ok", true},
            {"dry_run", dry_run},
            {"cutoff", format_iso8601(cutoff)},
            {"matched", matched},
            {"deleted", deleted},
            {"unparsable_archived_at", unparsable},
            {"fts", fts},
            {"backup_id", backup_id ? Json(*backup_id) : Json(nullptr)},
            {"backup_path", backup_id ? Json(backup_path.string()) : Json(nullptr)}};
}

PurgeResult purge_archived(const PurgeOptions& options) {
    if (options.older_than <= Duration::zero()) throw usage_error("--older-than must be longer than zero");
    if (options.dry_run) return run_purge(options);
    if (options.repo.empty()) throw usage_error("no repository for the pre-purge backup: pass --repo DIR");
    const Repository repo = Repository::open_for_writing(options.repo, *options.clock);
    return run_journaled(repo.storage(), "purge-archived", *options.clock, [&] { return run_purge(options); },
                         [](const PurgeResult& r) {
                             return Json{{"cutoff", format_iso8601(r.cutoff)},
                                         {"deleted", r.deleted},
                                         {"fts", r.fts},
                                         {"backup_id", r.backup_id ? Json(*r.backup_id) : Json(nullptr)}};
                         });
}

}  // namespace soniabk
