// Who holds SQLite's own locks on a database, found by probing the byte ranges its VFS locks.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

// Another process's SQLite lock on `db` (a transaction) or on its -shm wal-index (any open WAL connection):
// "pid N" ("another process" where the system does not name it), or nothing. Call only while this process
// has no connection to `db`, since the probe's closed descriptors drop this process's own POSIX locks.
std::optional<std::string> sqlite_lock_holder(const std::filesystem::path& db);

}  // namespace soniabk
