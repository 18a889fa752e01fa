// One memory hard-deleted from a database and compared once it is back: the drill's recovery probe.
#pragma once

#include "sonia/memory_rows.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace soniabk {

class Database;

// The memory a probe works on: the first non-archived one at or after the middle of the id range (any
// memory when all are archived); none when the table is empty. Deterministic, so a failure can be replayed.
std::optional<std::int64_t> pick_probe_memory(Database& db);

// Deletes memory `id` of main the way SONIA's hard delete does: the rows that belong to it (related_tables),
// its memories_fts entry, then the row. Returns the related rows deleted, by table; the transaction is the
// caller's.
RelatedCounts delete_memory(Database& db, std::int64_t id);

// Memory `id`'s row and the rows that belong to it, every value quote()d, related rows sorted: two equal
// strings are the same memory. Empty when there is no such memory.
std::string memory_fingerprint(Database& db, std::int64_t id);

// What a user would search a memory by, kept to search for it once the row has gone.
struct MemoryText {
    std::int64_t rowid = 0;
    std::string content;
};
std::optional<MemoryText> memory_text(Database& db, std::int64_t id);

// Whether memories_fts finds the memory by the words of its content; none without memories_fts or without
// a word to search for.
std::optional<bool> fts_finds(Database& db, const MemoryText& memory);

}  // namespace soniabk
