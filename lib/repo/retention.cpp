#include "repo/retention.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>

namespace soniabk {

namespace chr = std::chrono;

bool RetentionPolicy::empty() const {
    return keep_last == 0 && keep_daily == 0 && keep_weekly == 0 && keep_monthly == 0 && !keep_within;
}

Json RetentionPolicy::to_json() const {
    return {{"keep_last", keep_last},
            {"keep_daily", keep_daily},
            {"keep_weekly", keep_weekly},
            {"keep_monthly", keep_monthly},
            {"keep_within", keep_within ? Json(format_duration(*keep_within)) : Json(nullptr)}};
}

RetentionPolicy default_policy() {
    RetentionPolicy policy;
    policy.keep_daily = 7;
    return policy;
}

std::string day_key(TimePoint t) {
    const chr::year_month_day d{chr::floor<chr::days>(t)};
    return fmt::format("{:04}-{:02}-{:02}", int(d.year()), unsigned(d.month()), unsigned(d.day()));
}

std::string iso_week_key(TimePoint t) {
    // An ISO week belongs to the year of its Thursday and week 1 is the one holding that year's first Thursday.
    const chr::sys_days day = chr::floor<chr::days>(t);
    const unsigned weekday = chr::weekday(day).iso_encoding();  // Monday 1 .. Sunday 7
    const chr::sys_days thursday = day - chr::days(weekday - 1) + chr::days(3);
    const chr::year year = chr::year_month_day(thursday).year();
    const auto first_day = chr::sys_days(year / chr::January / 1);
    return fmt::format("{:04}-W{:02}", int(year), (thursday - first_day).count() / 7 + 1);
}

std::string month_key(TimePoint t) {
    const chr::year_month_day d{chr::floor<chr::days>(t)};
    return fmt::format("{:04}-{:02}", int(d.year()), unsigned(d.month()));
}

std::vector<std::vector<std::string>> apply_policy(const std::vector<TimePoint>& newest_first,
                                                   const RetentionPolicy& policy) {
    struct Bucket {
        int left;
        const char* name;
        std::function<std::string(TimePoint)> key;
        std::string last_key = {};
    };
    std::vector<Bucket> buckets = {{policy.keep_daily, "daily", day_key},
                                   {policy.keep_weekly, "weekly", iso_week_key},
                                   {policy.keep_monthly, "monthly", month_key}};
    std::vector<std::vector<std::string>> reasons(newest_first.size());
    for (std::size_t i = 0; i < newest_first.size(); ++i) {
        const TimePoint t = newest_first[i];
        if (i < static_cast<std::size_t>(std::max(policy.keep_last, 0))) reasons[i].push_back("last");
        // Each period keeps its newest backup: the first one met, newest first, with a new period key.
        for (Bucket& bucket : buckets) {
            if (bucket.left <= 0) continue;
            const std::string key = bucket.key(t);
            if (key == bucket.last_key) continue;
            bucket.last_key = key;
            --bucket.left;
            reasons[i].push_back(fmt::format("{} {}", bucket.name, key));
        }
        if (policy.keep_within && t > newest_first.front() - *policy.keep_within) {
            reasons[i].push_back(fmt::format("within {}", format_duration(*policy.keep_within)));
        }
    }
    return reasons;
}

namespace {

// The decision for a backup the policy does not look at: its reason, and whether it goes.
std::pair<bool, std::string> outside_policy(const BackupEntry& e, const RetentionRules& rules, TimePoint now) {
    const std::string grace = format_duration(rules.incomplete_grace);
    switch (e.status) {
        case BackupEntry::Status::complete:
            return {false, fmt::format("label '{}' is not subject to the policy", e.label())};
        case BackupEntry::Status::invalid_manifest:
            return {false, "invalid manifest: left for a human to inspect"};
        case BackupEntry::Status::incomplete:
            if (rules.pending_removal.contains(e.data_key)) return {true, "leftover of an interrupted prune"};
            if (now - e.time < rules.incomplete_grace) return {false, fmt::format("incomplete, younger than {}", grace)};
            if (rules.clean_incomplete) return {true, fmt::format("incomplete, older than {}", grace)};
            return {false, "incomplete (--clean-incomplete removes it)"};
    }
    return {false, "unknown status"};
}

}  // namespace

RetentionPlan plan_retention(const std::vector<BackupEntry>& entries, const RetentionRules& rules, TimePoint now) {
    std::vector<PlannedBackup> planned(entries.size());
    std::vector<bool> goes(entries.size(), false);
    // 1. Complete backups with a policy label form one group per kind and label; the rest is decided alone.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const BackupEntry& e = entries[i];
        planned[i].entry = &e;
        if (e.is_complete() && rules.labels.contains(e.label())) {
            groups[{e.kind, e.label()}].push_back(i);
            continue;
        }
        auto [remove, reason] = outside_policy(e, rules, now);
        goes[i] = remove;
        planned[i].reasons.push_back(std::move(reason));
    }
    // 2. The policy, group by group, newest first.
    for (const auto& [group, members] : groups) {
        std::vector<TimePoint> times;
        for (const std::size_t i : members) times.push_back(entries[i].time);
        auto reasons = apply_policy(times, rules.policy);
        for (std::size_t k = 0; k < members.size(); ++k) {
            const std::size_t i = members[k];
            goes[i] = reasons[k].empty();
            planned[i].reasons = goes[i] ? std::vector<std::string>{"not kept by the policy"} : std::move(reasons[k]);
        }
    }
    // 3. The newest verified backup of each kind stays whatever the policy says.
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].is_complete() || !rules.protected_ids.contains(entries[i].id())) continue;
        if (goes[i]) planned[i].reasons.clear();
        goes[i] = false;
        planned[i].reasons.push_back("newest verified backup");
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto kept = rules.kept_for.find(entries[i].id());
        if (!entries[i].is_complete() || kept == rules.kept_for.end()) continue;
        if (goes[i]) planned[i].reasons.clear();
        goes[i] = false;
        planned[i].reasons.push_back(kept->second);
    }
    // 4. A page-store backup whose map a kept backup's map builds on stays with it, down the whole chain. The
    //    chain is followed by id, not by scan order: backups of the same second sort by name, not by age.
    std::map<std::string, std::size_t> index_of;
    for (std::size_t i = 0; i < entries.size(); ++i) index_of.try_emplace(entries[i].id(), i);
    const auto parent_of = [&](std::size_t i) -> std::string {
        const BackupEntry& e = entries[i];
        return e.manifest && e.manifest->pages ? e.manifest->pages->parent_backup_id : std::string();
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (goes[i]) continue;
        for (std::size_t child = i;;) {
            const auto parent = index_of.find(parent_of(child));
            if (parent == index_of.end() || !goes[parent->second]) break;
            goes[parent->second] = false;
            planned[parent->second].reasons = {fmt::format("page map needed by {}", entries[child].id())};
            child = parent->second;
        }
    }
    RetentionPlan plan;
    for (std::size_t i = 0; i < entries.size(); ++i) (goes[i] ? plan.remove : plan.keep).push_back(std::move(planned[i]));
    return plan;
}

}  // namespace soniabk
