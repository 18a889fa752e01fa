#include "commands/incident.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "platform/files.hpp"
#include "sqlite/sqlite.hpp"
#include "base/version.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

namespace soniabk {

namespace {

std::string read_whole(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_into(const fs::path& dir, const std::string& name, std::string_view content) {
    auto out = platform::OutputFile::create_new(dir / name);
    out.write(content.data(), content.size());
    out.sync();
    out.close();
}

}  // namespace

std::string version_report() {
    return fmt::format("soniabk {}\nSQLite {}\n{}\n", tool_version, sqlite_library_version(),
                       OpenSSL_version(OPENSSL_VERSION));
}

fs::path write_incident_bundle(const fs::path& dir, const std::string& name, const IncidentContents& contents) {
    platform::create_private_directories(dir);
    const fs::path target = dir / name;
    const fs::path temp = temp_path_for(target);
    platform::create_private_directories(temp);
    try {
        write_into(temp, "drill.json", contents.drill.dump(2) + "\n");
        if (contents.manifest_path) write_into(temp, "manifest.json", read_whole(*contents.manifest_path));
        write_into(temp, "integrity_check.txt", contents.integrity_output + "\n");
        write_into(temp, "backups.json", contents.backups.dump(2) + "\n");
        write_into(temp, "restore.json", contents.restore.dump(2) + "\n");
        write_into(temp, "versions.txt", version_report());
        platform::sync_directory(temp);
        platform::atomic_replace(temp, target);
        platform::sync_directory(dir);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(temp, ignored);
        throw;
    }
    return target;
}

}  // namespace soniabk
