// Deleting backups so that a crash at any instant leaves whole backups or leftovers the next prune finishes.
#pragma once

#include "base/clock.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

struct RemovedBackup {
    std::string backup_id;
    std::string kind;
    TimePoint time{};
    std::uint64_t bytes = 0;  // data file and manifest as found on disk
    std::vector<std::string> reasons;  // as prune's kept backups carry them

    Json to_json() const;
};

struct RemovedFile {
    std::string key;
    fs::path path;
    std::uint64_t bytes = 0;

    Json to_json() const;
};

// `<repo>/prune-pending.json`: the data objects a prune or forget is removing, written before it starts.
inline constexpr std::string_view pending_removal_key = "prune-pending.json";
// The data keys an interrupted prune or forget had started to remove (empty when none was interrupted).
std::set<std::string> read_pending_removal(const Repository& repo);
// The same, by the backup id each had while its manifest existed: a repeated `forget ID` still finds it.
std::map<std::string, std::string> read_pending_backup_ids(const Repository& repo);

// Bytes a backup's files occupy now (a data directory counts with its contents).
std::uint64_t bytes_on_disk(const BackupEntry& entry);
RemovedBackup describe_removal(const BackupEntry& entry, std::vector<std::string> reasons);

// Removes backups as wholes; call under the repository lock. Order: the intent file, every manifest (made
// durable), then the data, then the intent file again. A kill anywhere leaves complete backups and
// incomplete leftovers that the intent file names, so the next prune finishes them.
void remove_backups(const Repository& repo, const std::vector<const BackupEntry*>& backups);

// Leftovers of killed writers (temp files) anywhere in the repository: those whose writer process is gone,
// whatever their age, and those that name no process and are older than `age`.
std::vector<RemovedFile> stale_temp_files(const Repository& repo, TimePoint now, Duration age);
void remove_files(const Repository& repo, const std::vector<RemovedFile>& files);

}  // namespace soniabk
