// The databases restore keeps aside (`memory-replaced-*.db` beside the target): listed by `status`,
// removed by `restore --remove-replaced`.
#pragma once

#include "base/clock.hpp"
#include "sqlite/swap.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace soniabk {

Json replaced_to_json(const ReplacedDatabase& replaced);

enum class RemovalMode { apply, dry_run };

struct RemoveReplacedOptions {
    fs::path repo;  // whose journal records the removal
    fs::path db;    // the restore target the replaced databases were kept beside
    RemovalMode mode = RemovalMode::apply;
    const Clock* clock = &system_clock();
};

struct RemoveReplacedResult {
    bool dry_run = false;
    fs::path db;
    std::vector<ReplacedDatabase> removed;  // or, in a dry run, that would be
    std::uint64_t freed_bytes = 0;

    Json to_json() const;
};

// Removes every replaced database beside `db` with its sidecars, and journals it (`restore --remove-replaced`).
RemoveReplacedResult remove_replaced_databases(const RemoveReplacedOptions& options);

}  // namespace soniabk
