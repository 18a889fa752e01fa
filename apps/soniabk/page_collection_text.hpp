// The lines prune and forget print about the page store's garbage collection.
#pragma once

#include "repo/page_collection.hpp"

#include <optional>

namespace soniabk::cli {

enum class RunMode { apply, dry_run };

void print_page_collection(const std::optional<PageStoreCollection>& pages, RunMode mode);

}  // namespace soniabk::cli
