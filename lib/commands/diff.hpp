// `diff A B`: how the memories of two backups (or a backup and the live database) differ.
#pragma once

#include "base/json.hpp"
#include "base/progress.hpp"
#include "codec/keys.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// The word that names the live database instead of a backup id.
inline constexpr const char* live_side = "live";

struct DiffOptions {
    fs::path repo;
    fs::path db;  // the live database, when a side is `live`
    std::string a;
    std::string b;
    std::size_t limit = 100;  // memories listed at most (the counts are always whole)
    KeyOptions keys;
    Progress* progress = &no_progress();
};

struct DiffedMemory {
    std::int64_t id = 0;
    std::string change;  // added | removed | archived | unarchived | changed
    std::string created_at;
    std::string archived_at;  // on the side that has the row (B, or A for a removed one); empty when null
    std::string snippet;
};

struct DiffResult {
    std::string a;  // backup id, or live
    std::string b;
    std::map<std::string, std::int64_t> counts;  // every change kind, 0 included
    std::vector<DiffedMemory> memories;          // by id, at most `limit`
    bool truncated = false;

    Json to_json() const;
};

// A memory is in one change kind only: added, removed, archived (archived_at set in B, not in A),
// unarchived (the reverse), else changed (any other column differs).
DiffResult diff_memories(const DiffOptions& options);

}  // namespace soniabk
