// `stats`: what the repository holds against what it stores: logical and stored bytes, the page store's
// packs and the bytes no backup needs any more, and what each backup added.
#pragma once

#include "codec/keys.hpp"
#include "repo/page_collection.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soniabk {

struct StatsOptions {
    fs::path repo;
    KeyOptions keys;  // an encrypted page store's maps are read to know which pages are needed
};

struct BackupStats {
    std::string backup_id;
    std::string kind;
    std::string format;  // pages or files
    TimePoint time{};
    std::uint64_t logical_bytes = 0;  // the database or state file it restores
    std::uint64_t added_bytes = 0;    // what storing it added to the repository

    Json to_json() const;
};

struct PageStoreStats {
    std::uint64_t packs = 0;
    std::uint64_t pack_bytes = 0;
    std::uint64_t index_bytes = 0;
    std::optional<std::uint64_t> unneeded_bytes;  // none when some maps could not be read (`skipped`)
    std::vector<std::string> skipped;

    Json to_json() const;
};

struct StatsResult {
    std::vector<BackupStats> backups;  // complete backups, newest first
    std::uint64_t logical_bytes = 0;
    std::uint64_t stored_bytes = 0;  // every object in the repository
    std::optional<PageStoreStats> pages;

    double dedup_ratio() const;  // logical over stored; 0 for an empty repository
    Json to_json() const;
};

StatsResult repository_stats(const StatsOptions& options);

}  // namespace soniabk
