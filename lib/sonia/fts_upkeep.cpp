#include "sonia/fts_upkeep.hpp"

#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <cctype>
#include <regex>

namespace soniabk {

namespace {

// Lower case with every run of white space made one space, so SQL can be matched by pattern.
std::string normalised(std::string sql) {
    std::string out;
    for (const char c : sql) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// True when a trigger fires on `event` (insert | delete) on memories and writes to memories_fts.
bool trigger_updates_fts(Database& db, const std::string& event) {
    auto stmt = db.prepare("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='memories'");
    while (stmt.step()) {
        const std::string sql = normalised(stmt.column_text(0));
        const auto body = sql.find(" begin ");
        if (body == std::string::npos) continue;
        const std::string head = sql.substr(0, body);  // CREATE TRIGGER name AFTER DELETE ON memories
        if (head.find(" " + event + " on ") != std::string::npos &&
            sql.find("memories_fts", body) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string fts_sql(Database& db) {
    return normalised(db.query_text("SELECT sql FROM sqlite_master WHERE name='memories_fts'").value_or(""));
}

bool is_external_content(const std::string& sql) {
    static const std::regex external(R"([(,] ?content ?= ?['"\[`]?memories['"\]`]? ?[,)])");
    return std::regex_search(sql, external);
}

// The memories column the index's rowids are: content_rowid for an external-content index, else rowid.
std::string indexed_rowid(const std::string& sql) {
    std::smatch rowid_match;
    static const std::regex rowid_option(R"(content_rowid ?= ?['"\[`]?(\w+))");
    return std::regex_search(sql, rowid_match, rowid_option) ? rowid_match[1].str() : "rowid";
}

// ", col1, col2": the index's columns, quoted, each also a column of memories.
std::string indexed_columns(Database& db) {
    std::string columns;
    auto info = db.prepare("SELECT name FROM pragma_table_info('memories_fts')");
    while (info.step()) columns += ", " + quote_identifier(info.column_text(0));
    return columns;
}

}  // namespace

FtsUpkeep plan_fts_upkeep(Database& db, const std::string& where) {
    if (!db.has_table("memories_fts")) return {"none", {}};
    if (trigger_updates_fts(db, "delete")) return {"trigger", {}};
    const std::string sql = fts_sql(db);
    if (sql.find("using fts5") == std::string::npos || !is_external_content(sql)) {
        throw runtime_error(ErrorCode::fts_unsupported,
                            fmt::format("{}: memories_fts is not an external-content FTS5 index of memories and no "
                                        "DELETE trigger on memories updates it; a purge would leave it stale",
                                        db.path().string()),
                            db.path());
    }
    return {"delete_command", fmt::format("INSERT INTO memories_fts(memories_fts, rowid{0}) SELECT 'delete', {1}{0} "
                                          "FROM memories WHERE {2}",
                                          indexed_columns(db), quote_identifier(indexed_rowid(sql)), where)};
}

FtsRowUpkeep plan_fts_row_upkeep(Database& db) {
    FtsRowUpkeep upkeep;
    if (!db.has_table("memories_fts")) return upkeep;
    const std::string sql = fts_sql(db);
    if (sql.find("using fts5") == std::string::npos) {
        throw runtime_error(ErrorCode::fts_unsupported,
                            fmt::format("{}: memories_fts is not an FTS5 index; soniabk cannot keep it in step",
                                        db.path().string()),
                            db.path());
    }
    static const std::regex contentless(R"([(,] ?content ?= ?(''|"") ?[,)])");
    upkeep.index = is_external_content(sql) ? "external_content"
                   : std::regex_search(sql, contentless) ? "contentless"
                                                         : "self_contained";
    const std::string columns = indexed_columns(db);
    const std::string rowid = quote_identifier(indexed_rowid(sql));
    if (!trigger_updates_fts(db, "insert")) {
        upkeep.insert_sql = fmt::format("INSERT INTO memories_fts(rowid{0}) SELECT {1}{0} FROM memories WHERE id = ?1",
                                        columns, rowid);
    }
    if (!trigger_updates_fts(db, "delete")) {
        upkeep.delete_sql =
            upkeep.index == "self_contained"
                ? fmt::format("DELETE FROM memories_fts WHERE rowid = (SELECT {} FROM memories WHERE id = ?1)", rowid)
                : fmt::format("INSERT INTO memories_fts(memories_fts, rowid{0}) SELECT 'delete', {1}{0} FROM memories "
                              "WHERE id = ?1",
                              columns, rowid);
    }
    return upkeep;
}

}  // namespace soniabk
