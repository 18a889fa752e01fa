// `find`: which database backups hold the memories matching a text or an id.
#pragma once

#include "base/json.hpp"
#include "base/progress.hpp"
#include "codec/keys.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

enum class FindScope { newest, all_backups, listed };

struct FindOptions {
    fs::path repo;
    std::string text;                 // every word must occur (FTS5), or the text itself (LIKE)
    std::optional<std::int64_t> id;   // instead of text
    FindScope scope = FindScope::newest;
    std::vector<std::string> backups;  // FindScope::listed: ids or unique prefixes
    bool archived = false;             // archived memories match too
    KeyOptions keys;
    Progress* progress = &no_progress();
};

// One backup searched.
struct SearchedBackup {
    std::string backup_id;
    std::string search;  // fts5 | like | id
    std::int64_t matches = 0;
};

// One memory found, as the newest backup holding it has it.
struct FoundMemory {
    std::int64_t id = 0;
    std::string snippet;
    std::string created_at;
    std::string archived_at;  // empty when null
    std::string first_backup;  // the oldest searched backup holding it
    std::string last_backup;   // the newest
    std::int64_t backups = 0;  // how many searched backups hold it
};

struct FindResult {
    std::vector<SearchedBackup> searched;  // oldest first
    std::vector<FoundMemory> memories;     // by id

    Json to_json() const;
};

// Reads each backup back into a scratch file in turn (oldest first) and searches its memories:
// FTS5 MATCH on memories_fts when the backup has it, else LIKE on content.
FindResult find_memories(const FindOptions& options);

}  // namespace soniabk
