// The incident bundle a failed drill leaves behind: everything an operator needs to see what went wrong.
#pragma once

#include "storage/storage.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

struct IncidentContents {
    Json drill;                             // the drill's own result document
    std::optional<std::string> manifest;  // the drilled backup's manifest, when there is one
    std::string integrity_output;           // PRAGMA integrity_check's findings, or why it did not run
    Json backups;                           // the repository's backup list, as `list --json` prints it
    Json restore;                           // the rehearsed restore's result (null when it did not run)
};

// Writes manifest.json, integrity_check.txt, backups.json, restore.json, versions.txt and, last, drill.json
// as objects `<prefix>/<file>`, each published whole; returns where the bundle lives.
fs::path write_incident_bundle(storage::Storage& store, const std::string& prefix, const IncidentContents& contents);

// soniabk's, SQLite's and OpenSSL's versions, one per line.
std::string version_report();

}  // namespace soniabk
