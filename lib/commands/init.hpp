// `init`: makes a backup repository on purpose, so a mistyped path or an unmounted disk is never filled.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "repo/repository_config.hpp"

#include <filesystem>

namespace soniabk {

namespace fs = std::filesystem;

struct InitOptions {
    fs::path repo;
    fs::path db;  // optional: the database the repository serves, recorded in its config
    BackupFormat format = BackupFormat::pages;
    EncryptionPolicy encryption = EncryptionPolicy::plain;
    const Clock* clock = &system_clock();
};

struct InitResult {
    RepositoryConfig config;
    fs::path repo;
    fs::path config_path;
    std::size_t backups_found = 0;  // backups already there (a repository older than `init`, now adopted)

    Json to_json() const;
};

// Creates the directory (owner-only) and publishes its config; `exists` when it already has one.
InitResult init_repository(const InitOptions& options);

}  // namespace soniabk
