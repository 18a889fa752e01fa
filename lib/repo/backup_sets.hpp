// Backup sets: a database backup and a state backup taken together by `backup all`, tied by one set_id.
#pragma once

#include "base/json.hpp"
#include "repo/repository.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

struct BackupSet {
    std::string set_id;
    TimePoint time{};                 // its earliest member's created_at
    std::optional<BackupEntry> db;    // the database half, when its manifest exists
    std::optional<BackupEntry> state;  // the state half, when its manifest exists

    // Both halves have a manifest; whether their files are intact is for verify to say.
    bool complete() const { return db.has_value() && state.has_value(); }
    Json to_json() const;
};

// A new set id: `set_YYYYMMDDTHHMMSSZ_` + 6 random hex digits.
std::string new_set_id(TimePoint at);

// The sets among `entries` (complete backups whose manifest has a set_id), newest first.
std::vector<BackupSet> find_sets(const std::vector<BackupEntry>& entries);

// The set whose id equals or uniquely starts with `id_or_prefix`; throws not_found or a usage error.
const BackupSet& find_set(const std::vector<BackupSet>& sets, std::string_view id_or_prefix);

}  // namespace soniabk
