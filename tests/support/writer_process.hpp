// Starting soniabk-test-writer (writer.cpp) and reading how far it has committed.
#pragma once

#include "process.hpp"
#include "sqlite/sqlite.hpp"

#include <cstdint>
#include <filesystem>

namespace soniabk::test {

// The last transaction the writer reported committed (0 before its first); it may have committed one more.
long committed(const std::filesystem::path& progress);

// Starts the writer on `db` and waits until it has committed at least `warmup` transactions.
// `autocheckpoint`: its wal_autocheckpoint in pages ("0": it never checkpoints).
Child start_writer(const std::filesystem::path& db, const std::filesystem::path& progress, long warmup,
                   const char* autocheckpoint);

// Waits until the writer has reported at least `target` transactions; false when it stops or 30 s pass.
bool wait_for_commits(Child& writer, const std::filesystem::path& progress, std::int64_t target);

// Checks that `db` holds the writer's seq 1..S, three rows each, counter = S (a prefix of whole
// transactions) and passes integrity_check; returns S.
std::int64_t check_whole_transactions(Database& db);

}  // namespace soniabk::test
