#include "sqlite/library.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

namespace soniabk {

SqliteLibrary sqlite_library() { return {sqlite3_libversion(), sqlite3_sourceid(), sqlite3_libversion_number()}; }

void require_supported_sqlite(const SqliteLibrary& library) {
    if (library.version_number >= oldest_supported_sqlite) return;
    constexpr int oldest = oldest_supported_sqlite;
    throw runtime_error(ErrorCode::sqlite_too_old,
                        fmt::format("SQLite {} is older than {}.{}.{}, which fixed a WAL corruption bug; "
                                    "soniabk will not run on it",
                                    library.version, oldest / 1000000, oldest / 1000 % 1000, oldest % 1000));
}

void require_supported_sqlite() {
    // A statically linked SQLite cannot be swapped for an old one, so tests simulate 3.51.2 instead.
    if (fault::should_fail("old_sqlite")) return require_supported_sqlite({"3.51.2", "", 3051002});
    require_supported_sqlite(sqlite_library());
}

}  // namespace soniabk
