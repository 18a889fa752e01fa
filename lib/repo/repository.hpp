// The backup repository on disk: its layout, the scan that finds backups, id lookup and the writer lock.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "repo/manifest.hpp"
#include "repo/repository_config.hpp"
#include "storage/storage.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// One backup found in the repository, complete or not.
struct BackupEntry {
    enum class Status {
        complete,          // manifest valid (the data file may still be missing or damaged: verify says)
        incomplete,        // a data file without a manifest: the writer never finished
        invalid_manifest,  // a manifest that does not parse or validate
    };

    Status status = Status::complete;
    std::string kind;
    std::optional<Manifest> manifest;
    std::shared_ptr<storage::Storage> storage;  // where the backup's objects live
    std::string data_key;
    std::string manifest_key;
    fs::path data_path;      // where data_key lives, for messages and JSON (storage location)
    fs::path manifest_path;  // likewise for manifest_key
    std::string problem;  // why it is incomplete or invalid
    TimePoint time{};     // created_at, else the data file's modification time

    // backup_id when the manifest is readable, else the data file's name.
    std::string id() const;
    bool is_complete() const { return status == Status::complete; }
    std::string label() const { return manifest ? manifest->label : std::string(); }
};

const char* to_string(BackupEntry::Status status);

// Holds a repository's exclusive writer lock; released on destruction.
class RepositoryLock {
public:
    explicit RepositoryLock(std::unique_ptr<storage::Lock> lock) : lock_(std::move(lock)) {}

private:
    std::unique_ptr<storage::Lock> lock_;
};

class Repository {
public:
    // A repository that must already exist (list, verify, restore ...).
    static Repository open(const fs::path& root);
    // Makes a new repository (`init`): its directories and config; `exists` when it has a config already.
    static Repository init(const fs::path& root, const RepositoryConfig& config);
    // For commands that add backups: a repository made by `init`, or one older than `init` (holding
    // manifests or a journal), which is adopted by writing its config (format files, the encryption its
    // newest backup has). Anything else, a missing or empty directory included, is `not_a_repository`.
    static Repository open_for_writing(const fs::path& root, const Clock& clock);

    // The storage's location (a directory today), for messages and the free-space check.
    const fs::path& root() const { return root_; }
    storage::Storage& storage() const { return *storage_; }
    const std::shared_ptr<storage::Storage>& shared_storage() const { return storage_; }
    // The config `init` or adoption wrote; nothing for a repository older than `init`, or (open) a damaged one.
    const std::optional<RepositoryConfig>& config() const { return config_; }
    // Whether open_for_writing adopted the repository just now.
    bool adopted() const { return adopted_; }
    // Refuses (`repo_encrypted`, exit 2) a plaintext backup into a repository whose policy is encrypted.
    void require_accepts(const Encoding& encoding) const;
    fs::path kind_directory(std::string_view kind) const { return root_ / std::string(kind); }

    // Every backup, newest first; temp files of killed writers are not backups and are skipped.
    std::vector<BackupEntry> scan() const;

    // Waits up to `wait` for the exclusive writer lock; `activity` tells other processes who holds it. While
    // waiting, `progress` shows the phase "waiting for the lock held by pid N on HOST by USER (backup db) since TIME".
    RepositoryLock lock_for_writing(const std::string& activity, Duration wait, Progress& progress = no_progress()) const;

    // A data key `<kind>/<stem>-YYYYMMDD-HHMMSS<ext>` that no backup uses yet (call under the lock).
    std::string allocate_data_key(std::string_view kind, std::string_view stem, std::string_view extension,
                                  TimePoint at) const;

private:
    Repository(fs::path root, std::shared_ptr<storage::Storage> storage);
    fs::path root_;
    std::shared_ptr<storage::Storage> storage_;
    std::optional<RepositoryConfig> config_;
    bool adopted_ = false;
};

inline constexpr std::string_view journal_key = "journal.jsonl";
inline constexpr std::string_view lock_key = ".lock";

// A new unique backup id: `bkp_YYYYMMDDTHHMMSSZ_` + 6 random hex digits.
std::string new_backup_id(TimePoint at);

// The random part of a backup id (`b71003` of `bkp_20261126T015552Z_b71003`), which `list` shows and
// find_backup accepts; the id itself when it has none (a data file's name).
std::string short_id(std::string_view id);

// Finds the backup whose id (or data file name) equals or uniquely starts with `id_or_prefix`, or whose
// id's random part does.
const BackupEntry& find_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix);

// The newest complete backup, optionally of one kind.
const BackupEntry* newest_complete(const std::vector<BackupEntry>& entries, std::string_view kind = {});
// The newest complete database backup taken at or before `at`.
const BackupEntry* newest_db_at_or_before(const std::vector<BackupEntry>& entries, TimePoint at);

}  // namespace soniabk
