// The SONIA gateway's backup API as soniabk uses it: every answer is checked before it is trusted.
#pragma once

#include "net/http.hpp"
#include "sonia/state.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

inline constexpr const char* default_gateway_url = "http://127.0.0.1:7000";

// The answer to POST /v1/backups: where the gateway wrote its snapshot and what it says the file holds.
struct GatewayBackupAnswer {
    std::string backup_id;
    std::string timestamp;
    std::string path;
    StateCounts counts;
    std::string sha256;  // lowercase hex
};

// `gateway` + `path` with exactly one slash between them.
std::string gateway_url(const std::string& gateway, std::string_view path);

// POST {gateway}/v1/backups with body {}; an answer that is not the documented JSON throws
// (code "gateway_invalid").
GatewayBackupAnswer request_gateway_backup(const std::string& gateway, const HttpOptions& options);

// The file a gateway answer names, resolved: it must be an absolute path without '..' that, once
// symlinks are resolved, is a regular file inside `folder` (the gateway's backups folder).
// Anything else throws (code "gateway_path"), so a confused or hostile gateway cannot make soniabk
// read other files.
fs::path resolve_gateway_file(const std::string& named, const fs::path& folder);

// POST {gateway}/v1/backups/restore/dlq with the snapshot file as the body.
HttpResponse post_dlq_restore(const std::string& gateway, const fs::path& snapshot, const HttpOptions& options);

// The entries of GET {gateway}/v1/dead-letters: a JSON array of objects, or an object holding that array
// under "dead_letters" (or "dlq" / "items").
std::vector<Json> list_dead_letters(const std::string& gateway, const HttpOptions& options);

}  // namespace soniabk
