#include "commands/find.hpp"

#include "base/error.hpp"
#include "commands/backup_view.hpp"
#include "repo/repository.hpp"
#include "sonia/memory_search.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace soniabk {

namespace {

constexpr const char* columns = "m.id, substr(m.content, 1, 80), m.created_at, m.archived_at";

// The backups to search, oldest first.
std::vector<BackupEntry> chosen_backups(const FindOptions& options) {
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();  // newest first
    std::vector<BackupEntry> chosen;
    if (options.scope == FindScope::listed) {
        for (const auto& id : options.backups) chosen.push_back(find_db_backup(entries, id));
        std::sort(chosen.begin(), chosen.end(), [](const BackupEntry& a, const BackupEntry& b) { return a.time < b.time; });
        return chosen;
    }
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->kind == "db" && it->is_complete()) chosen.push_back(*it);
    }
    if (chosen.empty()) throw runtime_error(ErrorCode::no_backup, fmt::format("{}: no complete database backup", options.repo.string()));
    if (options.scope == FindScope::newest) chosen.erase(chosen.begin(), chosen.end() - 1);
    return chosen;
}

// The matching memories of one database, and how they were searched.
Statement search(Database& db, const FindOptions& options, std::string& how) {
    const std::string active = options.archived ? "1" : "m.archived_at IS NULL";
    if (options.id) {
        how = "id";
        Statement stmt = db.prepare(fmt::format("SELECT {} FROM memories m WHERE m.id = ?1 AND {}", columns, active));
        stmt.bind(1, *options.id);
        return stmt;
    }
    const std::string query = fts_query(options.text);
    if (db.has_table("memories_fts") && !query.empty()) {
        how = "fts5";
        Statement stmt = db.prepare(fmt::format("SELECT {} FROM memories_fts f JOIN memories m ON m.rowid = f.rowid "
                                                "WHERE memories_fts MATCH ?1 AND {} ORDER BY m.id",
                                                columns, active));
        stmt.bind(1, query);
        return stmt;
    }
    how = "like";
    Statement stmt = db.prepare(fmt::format("SELECT {} FROM memories m WHERE m.content LIKE ?1 ESCAPE '\\' AND {} "
                                            "ORDER BY m.id",
                                            columns, active));
    stmt.bind(1, like_pattern(options.text));
    return stmt;
}

}  // namespace

Json FindResult::to_json() const {
    Json backups = Json::array();
    for (const auto& s : searched) backups.push_back({{"backup_id", s.backup_id}, {"search", s.search}, {"matches", s.matches}});
    Json found = Json::array();
    for (const auto& m : memories) {
        found.push_back({{"id", m.id},
                         {"snippet", m.snippet},
                         {"created_at", m.created_at},
                         {"archived_at", m.archived_at.empty() ? Json(nullptr) : Json(m.archived_at)},
                         {"first_backup", m.first_backup},
                         {"last_backup", m.last_backup},
                         {"backups", m.backups}});
    }
    return {{"ok", true}, {"searched", backups}, {"memories", found}};
}

FindResult find_memories(const FindOptions& options) {
    if (options.repo.empty()) throw usage_error("no repository to search: pass --repo DIR");
    if (options.text.empty() == !options.id.has_value()) throw usage_error("find needs a TEXT or --id ID, one of them");
    FindResult result;
    std::map<std::int64_t, FoundMemory> found;
    PageStores stores;  // one index and block cache for every page-store backup searched
    for (const BackupEntry& entry : chosen_backups(options)) {
        const BackupView backup(entry, options.keys, stores, *options.progress);
        Database db = backup.open();
        SearchedBackup searched{entry.id(), "", 0};
        Statement stmt = search(db, options, searched.search);
        while (stmt.step()) {
            ++searched.matches;
            FoundMemory& m = found[stmt.column_int(0)];
            if (m.backups++ == 0) m.first_backup = entry.id();
            m = {stmt.column_int(0), stmt.column_text(1), stmt.column_text(2),
                 stmt.is_null(3) ? std::string() : stmt.column_text(3), m.first_backup, entry.id(), m.backups};
        }
        result.searched.push_back(std::move(searched));
    }
    for (auto& [id, m] : found) result.memories.push_back(std::move(m));
    return result;
}

}  // namespace soniabk
