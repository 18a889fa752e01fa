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

std::string quoted(const std::string& identifier) {
    std::string out = "\"";
    for (const char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// True when a trigger fires on DELETE from memories and writes to memories_fts.
bool delete_trigger_updates_fts(Database& db) {
    auto stmt = db.prepare("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='memories'");
    while (stmt.step()) {
        const std::string sql = normalised(stmt.column_text(0));
        const auto body = sql.find(" begin ");
        if (body == std::string::npos) continue;
        const std::string head = sql.substr(0, body);  // CREATE TRIGGER name AFTER DELETE ON memories
        if (head.find(" delete on ") != std::string::npos && sql.find("memories_fts", body) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

FtsUpkeep plan_fts_upkeep(Database& db, const std::string& where) {
    if (!db.has_table("memories_fts")) return {"none", {}};
    if (delete_trigger_updates_fts(db)) return {"trigger", {}};
    const std::string sql =
        normalised(db.query_text("SELECT sql FROM sqlite_master WHERE name='memories_fts'").value_or(""));
    const std::regex external(R"([(,] ?content ?= ?['"\[`]?memories['"\]`]? ?[,)])");
    if (sql.find("using fts5") == std::string::npos || !std::regex_search(sql, external)) {
        throw runtime_error(ErrorCode::fts_unsupported,
                            fmt::format("{}: memories_fts is not an external-content FTS5 index of memories and no "
                                        "DELETE trigger on memories updates it; a purge would leave it stale",
                                        db.path().string()),
                            db.path());
    }
    std::smatch rowid_match;
    const std::regex rowid_option(R"(content_rowid ?= ?['"\[`]?(\w+))");
    const std::string rowid = std::regex_search(sql, rowid_match, rowid_option) ? rowid_match[1].str() : "rowid";
    std::string columns;
    auto info = db.prepare("SELECT name FROM pragma_table_info('memories_fts')");
    while (info.step()) columns += ", " + quoted(info.column_text(0));
    return {"delete_command", fmt::format("INSERT INTO memories_fts(memories_fts, rowid{0}) SELECT 'delete', {1}{0} "
                                          "FROM memories WHERE {2}",
                                          columns, quoted(rowid), where)};
}

}  // namespace soniabk
