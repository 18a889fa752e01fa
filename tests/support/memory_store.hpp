// A minimal memories table in a fresh database, for the unit tests of sonia's row-level code.
#pragma once

#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

namespace soniabk::test {

// dir/m.db with memories(id INTEGER PRIMARY KEY, content TEXT), then `extra` (more tables, an index, triggers) run.
Database memory_store(const TempDir& dir, const char* extra);

}  // namespace soniabk::test
