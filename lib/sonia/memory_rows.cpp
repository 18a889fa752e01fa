#include "sonia/memory_rows.hpp"

#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// "a", "b": common_columns quoted, for a column list.
std::string column_list(Database& db, const std::string& table) {
    std::string out;
    for (const auto& c : common_columns(db, table)) out += (out.empty() ? "" : ", ") + quote_identifier(c);
    return out;
}

bool backup_has_table(Database& db, const std::string& table) {
    Statement stmt = db.prepare(fmt::format("SELECT 1 FROM {}.sqlite_master WHERE type='table' AND name=?1", backup_schema));
    stmt.bind(1, table);
    return stmt.step();
}

}  // namespace

std::string rows_of_memory(const RelatedTable& r, const char* schema) {
    return fmt::format("{0}.{1} WHERE {2} IN (SELECT {3} FROM {0}.memories WHERE id = ?1)", schema,
                       quote_identifier(r.table), quote_identifier(r.column), quote_identifier(r.parent));
}

std::vector<std::string> common_columns(Database& db, const std::string& table) {
    Statement stmt = db.prepare(fmt::format("SELECT name FROM pragma_table_info(?1, 'main') WHERE name IN "
                                            "(SELECT name FROM pragma_table_info(?1, '{}')) ORDER BY cid",
                                            backup_schema));
    stmt.bind(1, table);
    std::vector<std::string> columns;
    while (stmt.step()) columns.push_back(stmt.column_text(0));
    return columns;
}

std::vector<RelatedTable> related_tables(Database& db) {
    std::vector<RelatedTable> out;
    Statement keys = db.prepare(
        "SELECT m.name, f.\"from\", coalesce(f.\"to\", 'id') FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
        "WHERE m.type = 'table' AND lower(f.\"table\") = 'memories' AND lower(m.name) <> 'memories' AND NOT EXISTS "
        "(SELECT 1 FROM pragma_foreign_key_list(m.name) g WHERE g.id = f.id AND g.seq > 0) ORDER BY m.name");
    while (keys.step()) out.push_back({keys.column_text(0), keys.column_text(1), keys.column_text(2)});
    Statement named = db.prepare(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'memory_id' "
        "AND lower(m.name) <> 'memories' AND NOT EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f "
        "WHERE f.\"from\" = 'memory_id') ORDER BY m.name");
    while (named.step()) out.push_back({named.column_text(0), "memory_id", "id"});
    return out;
}

MemoryRows::MemoryRows(Database& db) : db_(db), fts_(plan_fts_row_upkeep(db)), memory_columns_(column_list(db, "memories")) {
    for (auto& r : related_tables(db)) {
        if (backup_has_table(db, r.table)) related_.push_back(std::move(r));
    }
}

std::int64_t MemoryRows::run(const std::string& sql, std::int64_t id) {
    Statement stmt = db_.prepare(sql);
    stmt.bind(1, id);
    while (stmt.step()) {
    }
    return db_.query_int("SELECT changes()").value_or(0);
}

bool MemoryRows::in_live(std::int64_t id) {
    Statement stmt = db_.prepare("SELECT 1 FROM main.memories WHERE id = ?1");
    stmt.bind(1, id);
    return stmt.step();
}

bool MemoryRows::in_backup(std::int64_t id) {
    Statement stmt = db_.prepare(fmt::format("SELECT 1 FROM {}.memories WHERE id = ?1", backup_schema));
    stmt.bind(1, id);
    return stmt.step();
}

RelatedCounts MemoryRows::count_in_backup(std::int64_t id) {
    RelatedCounts counts;
    for (const auto& r : related_) {
        Statement stmt = db_.prepare(fmt::format("SELECT count(*) FROM {}", rows_of_memory(r, backup_schema)));
        stmt.bind(1, id).step();
        counts[r.table] += stmt.column_int(0);
    }
    return counts;
}

RelatedCounts MemoryRows::copy(std::int64_t id) {
    run(fmt::format("INSERT INTO main.memories({0}) SELECT {0} FROM {1}.memories WHERE id = ?1", memory_columns_,
                    backup_schema),
        id);
    RelatedCounts counts;
    for (const auto& r : related_) {
        const std::string columns = column_list(db_, r.table);
        counts[r.table] += run(fmt::format("INSERT OR IGNORE INTO main.{} ({}) SELECT {} FROM {}", quote_identifier(r.table),
                                           columns, columns, rows_of_memory(r, backup_schema)),
                               id);
    }
    if (!fts_.insert_sql.empty()) run(fts_.insert_sql, id);
    return counts;
}

void MemoryRows::remove_live(std::int64_t id) {
    for (const auto& r : related_) run(fmt::format("DELETE FROM {}", rows_of_memory(r, "main")), id);
    if (!fts_.delete_sql.empty()) run(fts_.delete_sql, id);
    run("DELETE FROM main.memories WHERE id = ?1", id);
}

}  // namespace soniabk
