// The repository's own config object (`config.json`): made by `init` (or on adopting an older repository),
// it says that a directory is a soniabk repository, which backup format it holds and its encryption policy.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "storage/storage.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

inline constexpr std::string_view repository_config_key = "config.json";
inline constexpr int repository_config_version = 1;

// How `backup db` stores databases: whole files, or the page store.
enum class BackupFormat { files, pages };
// What the repository accepts: any backup, or only backups encrypted (with a key file or a passphrase).
enum class EncryptionPolicy { plain, key_file, passphrase };
// Whether `init` made the config or a first write adopted a repository older than `init`.
enum class ConfigOrigin { init, adopted };

std::string_view to_string(BackupFormat format);
std::string_view to_string(EncryptionPolicy policy);
std::string_view to_string(ConfigOrigin origin);
std::optional<BackupFormat> parse_backup_format(std::string_view text);
std::optional<EncryptionPolicy> parse_encryption_policy(std::string_view text);

struct RepositoryConfig {
    std::string repository_id;  // `repo_` + 16 random hex digits
    BackupFormat format = BackupFormat::pages;
    EncryptionPolicy encryption = EncryptionPolicy::plain;
    std::string source_db;  // the database the repository serves; empty: not said
    TimePoint created_at{};
    std::string tool_version;
    ConfigOrigin origin = ConfigOrigin::init;

    bool requires_encryption() const { return encryption != EncryptionPolicy::plain; }
    Json to_json() const;
};

// A new random repository id.
std::string new_repository_id();

// Strict: names `origin` and the problem (code `repo_config_invalid`).
RepositoryConfig parse_repository_config(std::string_view text, const std::filesystem::path& origin);
// The config, or nothing when the storage holds none.
std::optional<RepositoryConfig> read_repository_config(const storage::Storage& store);
// Published atomically (temp, fsync, rename, directory fsync), never over an existing config (`exists`).
void write_repository_config(storage::Storage& store, const RepositoryConfig& config);

}  // namespace soniabk
