// The SQLite library soniabk runs on, and the oldest one it accepts.
#pragma once

#include <string>

namespace soniabk {

struct SqliteLibrary {
    std::string version;    // "3.54.1"
    std::string source_id;  // the check-in's date and hash: names the exact source
    int version_number = 0; // 3054001
};

// 3.51.3 fixed the WAL-reset bug: a checkpoint racing a WAL reset could corrupt a database with several
// connections, which is how soniabk works on SONIA's live database.
inline constexpr int oldest_supported_sqlite = 3051003;

SqliteLibrary sqlite_library();

// Throws `sqlite_too_old` (runtime) unless `library` is at least oldest_supported_sqlite.
void require_supported_sqlite(const SqliteLibrary& library);

// The same check on the library soniabk runs on; SONIABK_FAULT=old_sqlite stands in for an old one (tests).
void require_supported_sqlite();

}  // namespace soniabk
