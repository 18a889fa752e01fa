// `init`: makes a backup repository on purpose, so a mistyped path or an unmounted disk is never filled.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "codec/keys.hpp"
#include "repo/repository_config.hpp"

#include <filesystem>

namespace soniabk {

namespace fs = std::filesystem;

struct InitOptions {
    fs::path repo;
    fs::path db;  // optional: the database the repository serves, recorded in its config
    BackupFormat format = BackupFormat::pages;
    EncryptionPolicy encryption = EncryptionPolicy::plain;
    // The repository's key (an encrypted page store's keys are made from it now), or none: then the first
    // encrypted backup makes them.
    KeyOptions keys;
    const Clock* clock = &system_clock();
};

// An encrypted page store's keys (pages/key.json): made by init, left to the first encrypted backup (no key
// at init), or not needed (plain, or files).
enum class PageKeys { created, deferred, not_needed };

struct InitResult {
    RepositoryConfig config;
    fs::path repo;
    fs::path config_path;
    std::size_t backups_found = 0;  // backups already there (a repository older than `init`, now adopted)
    PageKeys page_keys = PageKeys::not_needed;

    Json to_json() const;
};

// Creates the directory (owner-only) and publishes its config; `exists` when it already has one.
InitResult init_repository(const InitOptions& options);

}  // namespace soniabk
