// The incident bundle a failed drill leaves behind: everything an operator needs to see what went wrong.
#pragma once

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

// Writes drill.json, manifest.json, integrity_check.txt, backups.json, restore.json and versions.txt into
// `<dir>/<name>/`, built under a hidden temp name and renamed into place whole; returns its path.
fs::path write_incident_bundle(const fs::path& dir, const std::string& name, const IncidentContents& contents);

// soniabk's, SQLite's and OpenSSL's versions, one per line.
std::string version_report();

}  // namespace soniabk
