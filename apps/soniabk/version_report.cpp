#include "version_report.hpp"

#include "base/version.hpp"
#include "sqlite/library.hpp"

#include <fmt/format.h>
#include <openssl/opensslv.h>
#include <zstd.h>

namespace soniabk::cli {

std::string version_text() {
    const SqliteLibrary sqlite = sqlite_library();
    return fmt::format("soniabk {}\nSQLite {} ({})\n{}\nzstd {}\n", tool_version, sqlite.version, sqlite.source_id,
                       OPENSSL_VERSION_TEXT, ZSTD_versionString());
}

Json version_json() {
    const SqliteLibrary sqlite = sqlite_library();
    return {{"ok", true},
            {"soniabk", tool_version},
            {"sqlite", {{"version", sqlite.version}, {"source_id", sqlite.source_id}}},
            {"openssl", OPENSSL_VERSION_TEXT},
            {"zstd", ZSTD_versionString()}};
}

}  // namespace soniabk::cli
