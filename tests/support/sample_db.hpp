// Small SONIA-shaped memory databases for tests, built through the real SQLite library.
#pragma once

#include <cstdint>
#include <filesystem>

namespace soniabk::test {

struct SampleDbOptions {
    int memories = 50;
    int archived_every = 10;  // every Nth memory has archived_at set (0: none)
    bool wal = true;
    bool fts = true;
    bool schema_version = true;
};

// Creates a database with `memories` (content "memory number N ..."), schema_version and an FTS5 index.
void create_sample_db(const std::filesystem::path& path, const SampleDbOptions& options = {});

std::int64_t count_rows(const std::filesystem::path& db, const char* table);

// PRAGMA integrity_check says "ok".
bool integrity_ok(const std::filesystem::path& db);

}  // namespace soniabk::test
