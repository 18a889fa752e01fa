// The live database a restore replaces: its files, who has it open, and the kill-safe moves that swap it.
#pragma once

#include "base/clock.hpp"
#include "platform/locks.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// A database file and the SQLite sidecars that belong to it.
struct TargetFiles {
    fs::path db;
    bool exists = false;
    std::uint64_t db_bytes = 0;
    std::uint64_t wal_bytes = 0;      // 0 also when there is no -wal
    std::uint64_t journal_bytes = 0;  // a rollback journal, possibly hot

    fs::path wal() const { return db.string() + "-wal"; }
    fs::path shm() const { return db.string() + "-shm"; }
    fs::path journal() const { return db.string() + "-journal"; }
};

TargetFiles inspect_target(const fs::path& db);

// Who else has the database open: "pid N has <file> open" (/proc) or "pid N holds a SQLite lock on <file>".
std::optional<std::string> database_in_use(const fs::path& db);

// Holds `.<name>.restore.lock` beside the database: one restore per database at a time. Throws "locked".
platform::FileLock lock_for_restore(const fs::path& db);

// Removes the temp copies (and their SQLite sidecars) that restores, since killed, left beside `db`: those
// whose process id (the temp name's suffix) no longer runs.
std::vector<fs::path> remove_stale_temps(const fs::path& db);

struct SettleResult {
    bool self_contained = true;  // the main file alone now holds the whole old database
    std::string detail;
};

// Folds the old database's WAL into its main file (a TRUNCATE checkpoint) and rolls back a hot journal,
// through SQLite, whose checkpoint and rollback are themselves crash-safe. Never throws: a database
// SQLite cannot open is reported as not self-contained, and its sidecars must then be kept with it.
SettleResult settle_database(const fs::path& db);

// `<stem>-replaced-YYYYMMDD-HHMMSS<ext>` beside `db` (UTC), with -2, -3 ... when taken.
fs::path replaced_path_for(const fs::path& db, TimePoint at);

// A database restore kept aside beside `db`, with the -wal / -journal / -shm kept with it.
struct ReplacedDatabase {
    fs::path path;
    std::vector<fs::path> files;  // the database first, then its sidecars that exist
    std::uint64_t bytes = 0;      // of all of them
};
// Every `<stem>-replaced-YYYYMMDD-HHMMSS[-N]<ext>` beside `db`, oldest first.
std::vector<ReplacedDatabase> find_replaced(const fs::path& db);
// Removes its files (sidecars first, the database last) and fsyncs the directory.
void remove_replaced(const ReplacedDatabase& replaced);

// Keeps the old database as `replaced` (a hard link; a durable copy where the filesystem has no links),
// plus its -wal and -journal beside it with Sidecars::keep. Returns the files kept; never deletes.
enum class Sidecars { leave, keep };
std::vector<fs::path> keep_aside(const fs::path& db, const fs::path& replaced, Sidecars sidecars);

// Gives `temp` the old database's owner and mode, removes the old -wal, -journal and -shm (already folded
// in or kept aside), then renames `temp` over `db` atomically and fsyncs the directory.
void swap_into_place(const fs::path& temp, const fs::path& db);

}  // namespace soniabk
