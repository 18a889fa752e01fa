// `list`: the backups in a repository, newest first, incomplete ones shown as such.
#pragma once

#include "repo/backup_sets.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <string>
#include <vector>

namespace soniabk {

struct ListOptions {
    fs::path repo;
    std::string kind;   // empty: every kind
    std::string label;  // empty: every label
};

struct ListResult {
    std::vector<BackupEntry> backups;
    std::vector<BackupSet> sets;  // of the whole repository, whatever the filters

    Json to_json() const;
};

// The manifest's size, else what is stored so far; nothing when the data is gone.
std::optional<std::uint64_t> backup_size(const BackupEntry& entry);
// The size of the database (or state file) the backup holds, whatever it takes to store it.
std::optional<std::uint64_t> logical_size(const BackupEntry& entry);
Json entry_to_json(const BackupEntry& entry);

ListResult list_backups(const ListOptions& options);

}  // namespace soniabk
