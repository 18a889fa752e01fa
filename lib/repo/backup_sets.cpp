#include "repo/backup_sets.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace soniabk {

Json BackupSet::to_json() const {
    return {{"set_id", set_id},
            {"timestamp", format_iso8601(time)},
            {"complete", complete()},
            {"label", db ? Json(db->label()) : state ? Json(state->label()) : Json(nullptr)},
            {"db", db ? Json(db->id()) : Json(nullptr)},
            {"state", state ? Json(state->id()) : Json(nullptr)}};
}

std::string new_set_id(TimePoint at) { return "set_" + new_backup_id(at).substr(4); }

std::vector<BackupSet> find_sets(const std::vector<BackupEntry>& entries) {
    std::map<std::string, BackupSet> by_id;
    for (const BackupEntry& entry : entries) {
        if (!entry.is_complete() || entry.manifest->set_id.empty()) continue;
        BackupSet& set = by_id[entry.manifest->set_id];
        const bool first = !set.db && !set.state;
        set.set_id = entry.manifest->set_id;
        set.time = first ? entry.time : std::min(set.time, entry.time);
        (entry.kind == "db" ? set.db : set.state) = entry;
    }
    std::vector<BackupSet> sets;
    for (auto& [id, set] : by_id) sets.push_back(std::move(set));
    std::sort(sets.begin(), sets.end(), [](const BackupSet& a, const BackupSet& b) { return a.time > b.time; });
    return sets;
}

const BackupSet& find_set(const std::vector<BackupSet>& sets, std::string_view id_or_prefix) {
    std::vector<const BackupSet*> matches;
    for (const BackupSet& set : sets) {
        if (set.set_id == id_or_prefix) return set;
        if (set.set_id.starts_with(id_or_prefix)) matches.push_back(&set);
    }
    if (matches.size() > 1) throw usage_error(fmt::format("set id prefix '{}' matches {} sets", id_or_prefix, matches.size()));
    if (matches.empty()) throw runtime_error(ErrorCode::not_found, fmt::format("no backup set matches '{}'", id_or_prefix));
    return *matches.front();
}

}  // namespace soniabk
