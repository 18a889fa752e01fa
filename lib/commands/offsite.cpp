#include "commands/offsite.hpp"
#include "repo/location.hpp"

namespace soniabk {

namespace {

OffsiteStatus& status_for(std::vector<OffsiteStatus>& list, const std::string& target) {
    for (auto& s : list) {
        if (s.target == target) return s;
    }
    list.emplace_back().target = target;
    return list.back();
}

}  // namespace

Json OffsiteStatus::to_json() const {
    Json newest = nullptr;
    if (newest_id) newest = {{"backup_id", *newest_id}, {"timestamp", format_iso8601(newest_at)}};
    return {{"target", target},
            {"last_copy", last_copy_at ? Json(format_iso8601(*last_copy_at)) : Json(nullptr)},
            {"newest", newest},
            {"lag_seconds", newest_id ? Json(to_seconds(lag)) : Json(nullptr)},
            {"rpo_violated", rpo_violated}};
}

std::vector<OffsiteStatus> offsite_statuses(const std::vector<JournalRecord>& journal,
                                            const std::optional<std::filesystem::path>& configured, TimePoint now,
                                            Duration rpo) {
    std::vector<OffsiteStatus> list;
    if (configured) status_for(list, location_text(*configured));
    for (const JournalRecord& r : journal) {  // oldest first
        if (r.command != "copy" || !r.ok || !r.detail.contains("target") || !r.detail["target"].is_string()) continue;
        OffsiteStatus& s = status_for(list, r.detail["target"].get<std::string>());
        s.last_copy_at = r.at;
        const Json id = r.detail.value("newest_backup_id", Json());
        const Json created = r.detail.value("newest_created_at", Json());
        if (!id.is_string() || !created.is_string()) continue;  // that copy selected nothing
        const auto at = parse_iso8601(created.get<std::string>());
        if (!at || (s.newest_id && *at < s.newest_at)) continue;
        s.newest_id = id.get<std::string>();
        s.newest_at = *at;
    }
    for (auto& s : list) {
        s.lag = now - s.newest_at;
        s.rpo_violated = !s.newest_id || s.lag > rpo;
    }
    return list;
}

}  // namespace soniabk
