#include "base/error.hpp"
#include "sqlite/library.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace soniabk;

TEST_CASE("library: soniabk runs on the SQLite it was compiled against, with the options it needs") {
    const SqliteLibrary library = sqlite_library();
    CHECK(library.version == SQLITE_VERSION);
    CHECK(library.source_id == SQLITE_SOURCE_ID);
    CHECK(library.version_number == SQLITE_VERSION_NUMBER);
    CHECK(library.version_number >= oldest_supported_sqlite);
    CHECK_NOTHROW(require_supported_sqlite());
    for (const char* option : {"ENABLE_FTS5", "ENABLE_DBPAGE_VTAB", "ENABLE_SESSION", "ENABLE_PREUPDATE_HOOK", "DQS=0",
                               "THREADSAFE=1", "SECURE_DELETE", "OMIT_LOAD_EXTENSION"}) {
        INFO("compile option " << option);
        CHECK(sqlite3_compileoption_used(option) == 1);
    }
    CHECK(sqlite3_compileoption_used("DEFAULT_FOREIGN_KEYS") == 0);  // foreign keys off by default, as for SONIA
}

TEST_CASE("library: a SQLite older than 3.51.3 is refused as a runtime error") {
    CHECK_NOTHROW(require_supported_sqlite(SqliteLibrary{"3.51.3", "", 3051003}));
    try {
        require_supported_sqlite(SqliteLibrary{"3.40.1", "", 3040001});
        FAIL("3.40.1 accepted");
    } catch (const Error& e) {
        CHECK(e.code() == "sqlite_too_old");
        CHECK(e.exit_code() == 3);
        CHECK(std::string(e.what()) == "SQLite 3.40.1 is older than 3.51.3, which fixed a WAL corruption bug; "
                                       "soniabk will not run on it");
    }
}
