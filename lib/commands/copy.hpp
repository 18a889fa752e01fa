// `copy`: backups from one repository into another (a second disk, a network share), only what the
// destination lacks, every object checked as read back from the destination, the manifest last.
#pragma once

#include "base/clock.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

enum class CopySelection { latest, all, ids };

struct CopyOptions {
    fs::path from;
    fs::path to;
    CopySelection selection = CopySelection::latest;
    std::vector<std::string> ids;
    std::uint64_t bwlimit = 0;  // bytes a second written to the destination; 0: no limit
    Duration lock_wait = std::chrono::minutes(5);
    const Clock* clock = &system_clock();
    Progress* progress = &no_progress();
    Trace* trace = &no_trace();  // -v: each step with its duration
};

struct CopyResult {
    fs::path from;
    fs::path to;
    std::vector<std::string> copied;   // ids, in the order their manifests were published
    std::vector<std::string> skipped;  // complete at the destination already
    std::uint64_t bytes_copied = 0;
    std::uint64_t objects_copied = 0;
    std::uint64_t objects_present = 0;  // left by an earlier, interrupted copy and found intact
    std::optional<std::string> newest_id;  // the newest selected backup, now at the destination
    TimePoint newest_at{};
    double duration_seconds = 0;

    Json to_json() const;
};

// Copies the selected complete backups of `from` into the repository `to` (which `init` must have made,
// with the same format and encryption policy), a page-store backup with the backups its map builds on.
CopyResult copy_backups(const CopyOptions& options);

// The journal detail of a copy (`status` reads `target`, `newest_backup_id` and `newest_created_at`).
Json copy_journal_detail(const CopyResult& result);

}  // namespace soniabk
