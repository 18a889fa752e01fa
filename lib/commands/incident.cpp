#include "commands/incident.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"
#include "sqlite/sqlite.hpp"
#include "base/version.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>


namespace soniabk {

std::string version_report() {
    return fmt::format("soniabk {}\nSQLite {}\n{}\n", tool_version, sqlite_library_version(),
                       OpenSSL_version(OPENSSL_VERSION));
}

fs::path write_incident_bundle(storage::Storage& store, const std::string& prefix, const IncidentContents& contents) {
    const auto put = [&](const char* name, const std::string& text) {
        store.write_all(prefix + "/" + name, text, storage::Overwrite::never);
    };
    if (contents.manifest) put("manifest.json", *contents.manifest);
    put("integrity_check.txt", contents.integrity_output + "\n");
    put("backups.json", contents.backups.dump(2) + "\n");
    put("restore.json", contents.restore.dump(2) + "\n");
    put("versions.txt", version_report());
    put("drill.json", contents.drill.dump(2) + "\n");  // last: a bundle with drill.json is whole
    return store.location(prefix);
}

}  // namespace soniabk
