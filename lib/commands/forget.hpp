// `forget`: deleting named backups on purpose, never the newest verified one unless forced.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "codec/keys.hpp"
#include "repo/deletion.hpp"
#include "repo/page_collection.hpp"

#include "base/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soniabk {

struct ForgetOptions {
    fs::path repo;
    std::vector<std::string> ids;  // ids, data file names or unique prefixes
    bool force = false;            // also the newest backup of its kind that passes verification
    bool dry_run = false;
    Duration lock_wait = std::chrono::minutes(5);
    Progress* progress = &no_progress();  // shows whose lock it waits for
    KeyOptions keys;  // an encrypted page store's maps are read to know which pages stay
    const Clock* clock = &system_clock();
};

struct ForgetResult {
    bool dry_run = false;
    std::vector<RemovedBackup> removed;
    std::optional<PageStoreCollection> pages;  // none without a page store
    std::uint64_t freed_bytes = 0;

    Json to_json() const;
};

ForgetResult forget_backups(const ForgetOptions& options);

}  // namespace soniabk
