// The backup repository on disk: its layout, the scan that finds backups, id lookup and the writer lock.
#pragma once

#include "base/clock.hpp"
#include "repo/manifest.hpp"
#include "platform/locks.hpp"

#include <filesystem>
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
    fs::path data_path;
    fs::path manifest_path;
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
    explicit RepositoryLock(platform::FileLock lock) : lock_(std::move(lock)) {}

private:
    platform::FileLock lock_;
};

class Repository {
public:
    // A repository that must already exist (list, verify, restore ...).
    static Repository open(const fs::path& root);
    // Creates the repository's directories when missing (backup).
    static Repository create_or_open(const fs::path& root);

    const fs::path& root() const { return root_; }
    fs::path kind_directory(std::string_view kind) const { return root_ / std::string(kind); }
    fs::path journal_path() const { return root_ / "journal.jsonl"; }

    // Every backup, newest first; temp files of killed writers are not backups and are skipped.
    std::vector<BackupEntry> scan() const;

    // Waits up to `wait` for the exclusive writer lock; `activity` tells other processes who holds it.
    RepositoryLock lock_for_writing(const std::string& activity, Duration wait) const;

    // A data path `<kind>/<stem>-YYYYMMDD-HHMMSS<ext>` that no backup or temp uses yet (call under the lock).
    fs::path allocate_data_path(std::string_view kind, std::string_view stem, std::string_view extension,
                                TimePoint at) const;

private:
    explicit Repository(fs::path root) : root_(std::move(root)) {}
    fs::path root_;
};

// A new unique backup id: `bkp_YYYYMMDDTHHMMSSZ_` + 6 random hex digits.
std::string new_backup_id(TimePoint at);

// Finds the backup whose id (or data file name) equals or uniquely starts with `id_or_prefix`.
const BackupEntry& find_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix);

// The newest complete backup, optionally of one kind.
const BackupEntry* newest_complete(const std::vector<BackupEntry>& entries, std::string_view kind = {});

}  // namespace soniabk
