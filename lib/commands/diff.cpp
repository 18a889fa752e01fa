#include "commands/diff.hpp"

#include "base/error.hpp"
#include "commands/backup_view.hpp"
#include "commands/recover_steps.hpp"
#include "repo/repository.hpp"
#include "sonia/memory_rows.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

namespace soniabk {

namespace {

constexpr const char* change_kinds[] = {"added", "removed", "archived", "unarchived", "changed"};

// One side of the diff: the live database as it is, or a backup opened (a page-store one in place).
struct Side {
    std::string name;
    fs::path path;  // the live database
    std::optional<BackupView> backup;

    std::string sqlite_name() const { return backup ? backup->sqlite_name() : sqlite_filename(path); }
    Database open() const { return backup ? backup->open() : Database::open(path, Database::Mode::read_only); }
};

void open_side(const DiffOptions& options, const std::string& which, const std::vector<BackupEntry>& entries,
               PageStores& stores, Side& side) {
    if (which == live_side) {
        if (options.db.empty()) throw usage_error("diff with live needs the live database: pass --db PATH");
        require_sqlite_file(options.db);
        side.name = live_side;
        side.path = options.db;
        return;
    }
    const BackupEntry entry = find_db_backup(entries, which);
    side.name = entry.id();
    side.backup.emplace(entry, options.keys, stores, *options.progress);
}

// The SQL condition, over main.memories a and bk.memories b joined by id, of a row some column of which differs.
std::string differs(Database& db) {
    std::string any;
    for (const auto& c : common_columns(db, "memories")) {
        if (c == "id" || c == "archived_at") continue;
        any += fmt::format("{0}a.{1} IS NOT b.{1}", any.empty() ? "" : " OR ", quote_identifier(c));
    }
    return any.empty() ? "0" : any;
}

// Every changed memory as (id, change, created_at, archived_at, snippet), by id.
std::string changes_sql(Database& db) {
    constexpr const char* row = "{0}.id, '{1}', {0}.created_at, {0}.archived_at, substr({0}.content, 1, 80)";
    const std::string both = fmt::format("FROM main.memories a JOIN {}.memories b ON a.id = b.id WHERE ", backup_schema);
    return fmt::format(
        "SELECT {0} FROM {5}.memories b WHERE b.id NOT IN (SELECT id FROM main.memories) UNION ALL "
        "SELECT {1} FROM main.memories a WHERE a.id NOT IN (SELECT id FROM {5}.memories) UNION ALL "
        "SELECT {2} {6} a.archived_at IS NULL AND b.archived_at IS NOT NULL UNION ALL "
        "SELECT {3} {6} a.archived_at IS NOT NULL AND b.archived_at IS NULL UNION ALL "
        "SELECT {4} {6} (a.archived_at IS NULL) = (b.archived_at IS NULL) AND ({7}) ORDER BY 1",
        fmt::format(row, "b", "added"), fmt::format(row, "a", "removed"), fmt::format(row, "b", "archived"),
        fmt::format(row, "b", "unarchived"), fmt::format(row, "b", "changed"), backup_schema, both, differs(db));
}

}  // namespace

Json DiffResult::to_json() const {
    Json list = Json::array();
    for (const DiffedMemory& m : memories) {
        list.push_back({{"id", m.id},
                        {"change", m.change},
                        {"created_at", m.created_at},
                        {"archived_at", m.archived_at.empty() ? Json(nullptr) : Json(m.archived_at)},
                        {"snippet", m.snippet}});
    }
    return {{"ok", true}, {"a", a}, {"b", b}, {"counts", counts}, {"truncated", truncated}, {"memories", list}};
}

DiffResult diff_memories(const DiffOptions& options) {
    std::vector<BackupEntry> entries;
    if (options.a != live_side || options.b != live_side) {
        if (options.repo.empty()) throw usage_error("no repository to read backups from: pass --repo DIR");
        entries = Repository::open(options.repo).scan();
    }
    PageStores stores;
    Side a;
    Side b;
    open_side(options, options.a, entries, stores, a);
    open_side(options, options.b, entries, stores, b);
    Database db = a.open();
    attach_backup(db, b.sqlite_name());
    DiffResult result;
    result.a = a.name;
    result.b = b.name;
    for (const char* kind : change_kinds) result.counts[kind] = 0;
    Statement stmt = db.prepare(changes_sql(db));
    while (stmt.step()) {
        const std::string change = stmt.column_text(1);
        ++result.counts[change];
        if (result.memories.size() >= options.limit) {
            result.truncated = true;
            continue;
        }
        result.memories.push_back({stmt.column_int(0), change, stmt.column_text(2),
                                   stmt.is_null(3) ? std::string() : stmt.column_text(3), stmt.column_text(4)});
    }
    return result;
}

}  // namespace soniabk
