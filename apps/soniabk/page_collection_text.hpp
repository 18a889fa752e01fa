// The lines prune and forget print about removed backups and the page store's garbage collection.
#pragma once

#include "repo/deletion.hpp"
#include "repo/page_collection.hpp"

#include <optional>

namespace soniabk::cli {

enum class RunMode { apply, dry_run };

// One line per backup removed (or, in a dry run, that would be), with its reasons.
void print_removed_backups(const std::vector<RemovedBackup>& removed, RunMode mode);

void print_page_collection(const std::optional<PageStoreCollection>& pages, RunMode mode);

}  // namespace soniabk::cli
