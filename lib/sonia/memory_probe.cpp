#include "sonia/memory_probe.hpp"

#include "sonia/fts_upkeep.hpp"
#include "sonia/memory_search.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace soniabk {

namespace {

// "quote(a) || ',' || quote(b)": one row of `table` (main) as text.
std::string quoted_row(Database& db, const std::string& table) {
    Statement info = db.prepare("SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid");
    info.bind(1, table);
    std::string out;
    while (info.step()) out += (out.empty() ? "quote(" : " || ',' || quote(") + quote_identifier(info.column_text(0)) + ")";
    return out;
}

std::int64_t run(Database& db, const std::string& sql, std::int64_t id) {
    Statement stmt = db.prepare(sql);
    stmt.bind(1, id);
    while (stmt.step()) {
    }
    return db.query_int("SELECT changes()").value_or(0);
}

}  // namespace

std::optional<std::int64_t> pick_probe_memory(Database& db) {
    const std::string active = db.has_column("memories", "archived_at") ? "archived_at IS NULL" : "1";
    for (const std::string& where : {active, std::string("1")}) {
        Statement pick = db.prepare(fmt::format(
            "SELECT id FROM memories WHERE {0} AND id >= (SELECT (min(id) + max(id)) / 2 FROM memories WHERE {0}) "
            "ORDER BY id LIMIT 1",
            where));
        if (pick.step()) return pick.column_int(0);
    }
    return std::nullopt;
}

RelatedCounts delete_memory(Database& db, std::int64_t id) {
    RelatedCounts deleted;
    for (const RelatedTable& r : related_tables(db)) {
        deleted[r.table] += run(db, fmt::format("DELETE FROM {}", rows_of_memory(r, "main")), id);
    }
    const FtsRowUpkeep fts = plan_fts_row_upkeep(db);
    if (!fts.delete_sql.empty()) run(db, fts.delete_sql, id);
    run(db, "DELETE FROM main.memories WHERE id = ?1", id);
    return deleted;
}

std::string memory_fingerprint(Database& db, std::int64_t id) {
    Statement row = db.prepare(fmt::format("SELECT {} FROM main.memories WHERE id = ?1", quoted_row(db, "memories")));
    row.bind(1, id);
    if (!row.step()) return {};
    std::string out = "memories: " + row.column_text(0) + "\n";
    for (const RelatedTable& r : related_tables(db)) {
        Statement rows = db.prepare(fmt::format("SELECT {} FROM {}", quoted_row(db, r.table), rows_of_memory(r, "main")));
        rows.bind(1, id);
        std::vector<std::string> values;
        while (rows.step()) values.push_back(rows.column_text(0));
        std::sort(values.begin(), values.end());
        for (const auto& v : values) out += r.table + ": " + v + "\n";
    }
    return out;
}

std::optional<MemoryText> memory_text(Database& db, std::int64_t id) {
    Statement stmt = db.prepare("SELECT rowid, content FROM main.memories WHERE id = ?1");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return MemoryText{stmt.column_int(0), stmt.is_null(1) ? std::string() : stmt.column_text(1)};
}

std::optional<bool> fts_finds(Database& db, const MemoryText& memory) {
    const std::string query = fts_query(memory.content);
    if (!db.has_table("memories_fts") || query.empty()) return std::nullopt;
    Statement find = db.prepare("SELECT 1 FROM memories_fts WHERE memories_fts MATCH ?1 AND rowid = ?2");
    find.bind(1, query).bind(2, memory.rowid);
    return find.step();
}

}  // namespace soniabk
