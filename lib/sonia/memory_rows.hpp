// Copying memories rows by id from a backup attached to the live database, with the rows that belong to
// them and their full-text index entries.
#pragma once

#include "sonia/fts_upkeep.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace soniabk {

class Database;

// The schema name the backup copy is attached under.
inline constexpr const char* backup_schema = "bk";

// The columns `table` has both in main and in backup_schema, in main's order.
std::vector<std::string> common_columns(Database& db, const std::string& table);

// A table whose rows belong to a memory: table.column holds the memory's memories.parent value.
struct RelatedTable {
    std::string table;
    std::string column;
    std::string parent;
};

// "schema.table WHERE column IN (SELECT parent FROM schema.memories WHERE id = ?1)": r's rows of memory ?1.
std::string rows_of_memory(const RelatedTable& r, const char* schema);

// Tables of the live database (main) with a single-column foreign key to memories, and SONIA's tables
// keyed by a `memory_id` column that declare none (they mean memories.id).
std::vector<RelatedTable> related_tables(Database& db);

// Rows per related table, by table name.
using RelatedCounts = std::map<std::string, std::int64_t>;

class MemoryRows {
public:
    // `db`: the live database with the backup copy attached as backup_schema.
    explicit MemoryRows(Database& db);

    bool in_live(std::int64_t id);
    bool in_backup(std::int64_t id);
    // The backup's rows that belong to memory `id`, by table (what copy would insert at most).
    RelatedCounts count_in_backup(std::int64_t id);
    // Inserts memory `id` and its related rows from the backup (a related row whose key exists is kept),
    // then its index entry; returns the related rows inserted.
    RelatedCounts copy(std::int64_t id);
    // Deletes the live memory `id`, its related rows first and its index entry, for --replace.
    void remove_live(std::int64_t id);
    const std::string& fts_index() const { return fts_.index; }

private:
    std::int64_t run(const std::string& sql, std::int64_t id);
    Database& db_;
    FtsRowUpkeep fts_;
    std::vector<RelatedTable> related_;
    std::string memory_columns_;
};

}  // namespace soniabk
