#include "commands/recover_steps.hpp"

#include "base/error.hpp"
#include "sonia/memory_search.hpp"
#include "sqlite/sqlite.hpp"
#include "sqlite/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

std::optional<std::int64_t> schema_version_of(Database& db, const char* schema) {
    const std::string has = fmt::format("SELECT count(*) FROM {}.sqlite_master WHERE type='table' AND name='schema_version'", schema);
    if (db.query_int(has).value_or(0) == 0) return std::nullopt;
    return db.query_int(fmt::format("SELECT max(version) FROM {}.schema_version", schema));
}

std::string shown(const std::optional<std::int64_t>& version) {
    return version ? std::to_string(*version) : std::string("none (no schema_version table)");
}

std::vector<std::int64_t> column_of(Statement& stmt) {
    std::vector<std::int64_t> out;
    while (stmt.step()) out.push_back(stmt.column_int(0));
    return out;
}

std::vector<std::int64_t> matching(Database& db, const std::string& text) {
    const std::string has_fts =
        fmt::format("SELECT count(*) FROM {}.sqlite_master WHERE name='memories_fts'", backup_schema);
    const std::string query = fts_query(text);
    if (db.query_int(has_fts).value_or(0) > 0 && !query.empty()) {
        Statement stmt = db.prepare(fmt::format("SELECT rowid FROM {}.memories_fts WHERE memories_fts MATCH ?1 "
                                                "ORDER BY rowid",
                                                backup_schema));
        stmt.bind(1, query);
        return column_of(stmt);
    }
    Statement stmt = db.prepare(
        fmt::format("SELECT id FROM {}.memories WHERE content LIKE ?1 ESCAPE '\\' ORDER BY id", backup_schema));
    stmt.bind(1, like_pattern(text));
    return column_of(stmt);
}

}  // namespace

void attach_backup(Database& db, const std::string& sqlite_name) {
    Statement attach = db.prepare(fmt::format("ATTACH DATABASE ?1 AS {}", backup_schema));
    attach.bind(1, sqlite_name);
    attach.step();
}

std::optional<std::int64_t> require_same_schema(Database& db, const std::string& backup_id) {
    const auto live = schema_version_of(db, "main");
    const auto backup = schema_version_of(db, backup_schema);
    if (live != backup) {
        throw Error(ErrorCategory::usage, ErrorCode::schema_mismatch,
                    fmt::format("{}: schema_version is {}, backup {} has {}: rows cannot be copied between schemas",
                                db.path().string(), shown(live), backup_id, shown(backup)),
                    db.path());
    }
    return live;
}

void require_selection_fits(const RecoverOptions& options, const BackupEntry& entry) {
    if (options.selection != RecoverSelection::deleted_since || entry.time >= options.deleted_since) return;
    throw usage_error(fmt::format("backup {} was taken at {}, before --deleted-since {}: it cannot tell the memories "
                                  "deleted before then from those deleted after; use a later backup or --id",
                                  entry.id(), format_iso8601(entry.time), format_iso8601(options.deleted_since)));
}

std::vector<std::int64_t> select_memories(Database& db, const RecoverOptions& options) {
    switch (options.selection) {
        case RecoverSelection::ids: {
            std::vector<std::int64_t> ids;
            for (const std::int64_t id : options.ids) {
                if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
            }
            return ids;
        }
        case RecoverSelection::match: return matching(db, options.match);
        case RecoverSelection::deleted_since: {
            Statement stmt = db.prepare(fmt::format(
                "SELECT id FROM {}.memories WHERE id NOT IN (SELECT id FROM main.memories) ORDER BY id", backup_schema));
            return column_of(stmt);
        }
    }
    return {};
}

RecoverResult run_unarchive(const UnarchiveOptions& options) {
    require_sqlite_file(options.db);
    Database db = Database::open(options.db, Database::Mode::read_write, options.busy_timeout);
    if (!db.has_column("memories", "archived_at")) {
        throw Error(ErrorCategory::usage, ErrorCode::no_archived_at,
                    fmt::format("{}: has no memories.archived_at column: nothing is soft-deleted", options.db.string()),
                    options.db);
    }
    RecoverResult result;
    result.dry_run = options.dry_run;
    WriteTransaction transaction(db);
    for (const std::int64_t id : options.ids) {
        if (std::any_of(result.rows.begin(), result.rows.end(), [&](const RecoveredRow& r) { return r.id == id; })) continue;
        Statement state = db.prepare("SELECT archived_at IS NOT NULL FROM memories WHERE id = ?1");
        state.bind(1, id);
        RecoveredRow row{id, "unarchived", "", {}};
        if (!state.step()) {
            row = {id, "skipped", "not_found", {}};
        } else if (state.column_int(0) == 0) {
            row = {id, "skipped", "not_archived", {}};
        } else if (!options.dry_run) {
            Statement clear = db.prepare("UPDATE memories SET archived_at = NULL WHERE id = ?1");
            clear.bind(1, id).step();
        }
        result.rows.push_back(std::move(row));
    }
    transaction.commit();
    return result;
}

}  // namespace soniabk
