// Retention policy: which backups a keep-last/daily/weekly/monthly/within policy keeps and why (restic `forget`, UTC).
#pragma once

#include "base/clock.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

struct RetentionPolicy {
    int keep_last = 0;
    int keep_daily = 0;
    int keep_weekly = 0;
    int keep_monthly = 0;
    std::optional<Duration> keep_within = std::nullopt;  // measured back from the group's newest backup, as restic does

    bool empty() const;
    Json to_json() const;
};

// 7 daily: the schedule the old clean-up script kept.
RetentionPolicy default_policy();

// Period keys in UTC: "2026-11-26", "2026-W48" (ISO 8601 week and week-year), "2026-11".
std::string day_key(TimePoint t);
std::string iso_week_key(TimePoint t);
std::string month_key(TimePoint t);

// For backups of one group sorted newest first: the reasons each is kept (empty: not kept by the policy).
std::vector<std::vector<std::string>> apply_policy(const std::vector<TimePoint>& newest_first,
                                                   const RetentionPolicy& policy);

// Everything prune decides by besides the repository's contents.
struct RetentionRules {
    RetentionPolicy policy = default_policy();
    std::set<std::string> labels = {"daily"};  // labels the policy applies to; others are kept
    bool clean_incomplete = false;
    Duration incomplete_grace = std::chrono::hours(24);
    std::set<std::string> protected_ids;   // the newest verified backup of each kind
    std::map<std::string, std::string> kept_for;  // backup id -> why it stays whatever the policy (a lineage's base)
    std::set<std::string> pending_removal;  // data keys an interrupted prune had already unlisted
};

struct PlannedBackup {
    const BackupEntry* entry = nullptr;
    std::vector<std::string> reasons;  // why it is kept, or the one reason it goes
};

struct RetentionPlan {
    std::vector<PlannedBackup> keep;    // newest first
    std::vector<PlannedBackup> remove;  // newest first
};

// The whole plan for a scanned repository (entries newest first, as Repository::scan returns them).
RetentionPlan plan_retention(const std::vector<BackupEntry>& entries, const RetentionRules& rules, TimePoint now);

}  // namespace soniabk
