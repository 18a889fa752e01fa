// The page store's garbage collection after backups are removed: every page the remaining backups' maps
// name stays, the rest goes (lib/pages/collect moves and removes the packs). Call under the repository lock.
#pragma once

#include "codec/keys.hpp"
#include "pages/collect.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soniabk {

struct PageStoreCollection {
    pages::PackCollection packs;
    std::vector<std::string> skipped;  // why pages of one kind (plain, encrypted) were not collected

    std::uint64_t freed_bytes() const;  // removed less written
    Json to_json() const;
};

// Nothing when the repository has no page store. `remaining` is every backup that stays.
std::optional<PageStoreCollection> collect_page_store(const Repository& repo,
                                                      const std::vector<const BackupEntry*>& remaining,
                                                      const KeyOptions& keys, pages::CollectMode mode);

}  // namespace soniabk
