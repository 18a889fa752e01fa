// Keeping the memories_fts full-text index in step when soniabk itself deletes rows from memories.
#pragma once

#include <string>

namespace soniabk {

class Database;

struct FtsUpkeep {
    std::string method;  // none | trigger | delete_command
    // For delete_command: removes the index entries of the memories rows matching `where` (same parameters).
    std::string delete_sql;
};

// How deleting `memories` rows matching `where` must also update memories_fts:
//  none           no memories_fts table;
//  trigger        a DELETE trigger on memories already updates memories_fts (doing it again would corrupt it);
//  delete_command memories_fts is an external-content FTS5 index of memories: FTS5 'delete' commands with
//                 the rows' old values, run before the rows go.
// Anything else (a contentless or self-contained index, FTS3/4) throws: soniabk would leave it stale.
FtsUpkeep plan_fts_upkeep(Database& db, const std::string& where);

// Keeping memories_fts in step when soniabk inserts (or, replacing, deletes) one memories row by id (?1).
struct FtsRowUpkeep {
    std::string index = "none";  // none | external_content | contentless | self_contained
    std::string insert_sql;      // run after the row is inserted; empty when an INSERT trigger does it
    std::string delete_sql;      // run before the row is deleted; empty when a DELETE trigger does it
};

// Any FTS5 memories_fts whose columns are columns of memories; FTS3/4 throws fts_unsupported.
FtsRowUpkeep plan_fts_row_upkeep(Database& db);

}  // namespace soniabk
