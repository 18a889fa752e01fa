// Consistent snapshots of a live SQLite database into a new file, and the checks and facts read from them.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/progress.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

namespace fs = std::filesystem;

enum class SnapshotMethod {
    backup_api,  // SQLite's online backup, all pages in one step inside one read transaction
    copy,        // database file + -wal copied under a read transaction, WAL folded in afterwards
    vacuum,      // VACUUM INTO: a compacted copy
};

enum class CheckMode { none, quick, full };

std::optional<SnapshotMethod> parse_snapshot_method(std::string_view text);
std::string_view to_string(SnapshotMethod method);
std::optional<CheckMode> parse_check_mode(std::string_view text);
std::string_view to_string(CheckMode mode);

struct MemoryCounts {
    std::int64_t total = 0;
    std::int64_t archived = 0;
};

// What a database snapshot holds, read from the snapshot itself.
struct DatabaseInfo {
    std::string sqlite_version;
    std::int64_t page_size = 0;
    std::int64_t page_count = 0;
    std::string source_journal_mode;
    std::int64_t user_version = 0;
    std::optional<Json> schema_version;  // the latest schema_version row, column -> value
    std::optional<MemoryCounts> memories;
};

struct CheckRecord {
    std::string mode;    // quick | full | none
    std::string result;  // "ok", the first problem SQLite reported, or "skipped"
};

struct SnapshotInfo {
    std::string source_journal_mode;
};

// Writes a self-contained (rollback-journal) database at `destination`, which must not exist, holding
// every transaction committed on `source` before the snapshot's read transaction began. Only the copy
// method can report bytes (advance() within the caller's phase); the others are one SQLite call.
SnapshotInfo take_snapshot(const fs::path& source, const fs::path& destination, SnapshotMethod method,
                           Duration busy_timeout, Progress& progress = no_progress());

// Runs quick_check or integrity_check on a read-only open of `database`; result "ok" or SQLite's findings.
CheckRecord check_database(const fs::path& database, CheckMode mode);

// Page geometry, user_version, the latest schema_version row and memories counts of `database`.
DatabaseInfo describe_database(const fs::path& database, std::string source_journal_mode);
class Database;
// The same read on an open connection (inside the caller's transaction, if it has one).
DatabaseInfo describe_open_database(Database& db, std::string source_journal_mode);

}  // namespace soniabk
