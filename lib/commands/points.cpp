#include "commands/points.hpp"

#include "repo/repository.hpp"

#include <algorithm>
#include <map>

namespace soniabk {

namespace {

// A heartbeat older than this (replicate writes one every 5 s) means replicate is not running.
constexpr Duration heartbeat_stale_after = std::chrono::seconds(30);

Json time_or_null(const std::optional<TimePoint>& t) { return t ? Json(format_iso8601(*t)) : Json(nullptr); }

std::optional<TimePoint> time_field(const Json& j, const char* name) {
    if (!j.contains(name) || !j[name].is_string()) return std::nullopt;
    return parse_iso8601(j[name].get<std::string>());
}

std::vector<LineageSummary> summaries(const storage::Storage& storage, const std::vector<std::string>& complete_ids) {
    std::vector<LineageSummary> out;
    for (replica::StoredLineage& lineage : replica::list_lineages(storage)) {
        LineageSummary s;
        s.base_present = std::find(complete_ids.begin(), complete_ids.end(), lineage.record.base_backup_id) !=
                         complete_ids.end();
        for (const replica::SegmentName& segment : lineage.segments) s.stored_bytes += segment.size_bytes;
        s.lineage = std::move(lineage);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> complete_ids_of(const Repository& repo) {
    std::vector<std::string> ids;
    for (const BackupEntry& entry : repo.scan()) {
        if (entry.is_complete()) ids.push_back(entry.id());
    }
    return ids;
}

}  // namespace

Json LineageSummary::to_json() const {
    const replica::LineageRecord& r = lineage.record;
    const bool restorable = base_present && lineage.first_point().has_value();
    return Json{{"lineage_id", r.id},
                {"database", r.database},
                {"base_backup_id", r.base_backup_id},
                {"base_present", base_present},
                {"started_at", format_iso8601(r.started_at)},
                {"restorable", restorable},
                {"first_point", time_or_null(lineage.first_point())},
                {"last_point", time_or_null(lineage.last_point())},
                {"transactions", lineage.restorable_transactions()},
                {"segments", lineage.segments.size()},
                {"stored_bytes", stored_bytes},
                {"gap", lineage.gap}};
}

Json PointsResult::to_json() const {
    Json list = Json::array();
    for (const LineageSummary& s : lineages) list.push_back(s.to_json());
    return Json{{"ok", true}, {"lineages", list}};
}

PointsResult list_points(const std::filesystem::path& repo_path) {
    const Repository repo = Repository::open(repo_path);
    return PointsResult{summaries(repo.storage(), complete_ids_of(repo))};
}

Json ReplicationStatus::to_json() const {
    return Json{{"database", database},
                {"lineage_id", lineage_id},
                {"last_commit_at", time_or_null(last_commit)},
                {"heartbeat_at", time_or_null(heartbeat_at)},
                {"running", running},
                {"wal_bytes", wal_bytes},
                {"unshipped_transactions", unshipped_transactions},
                {"last_ship_error", last_ship_error ? Json(*last_ship_error) : Json(nullptr)},
                {"lag_seconds", to_seconds(lag)},
                {"rpo_violated", rpo_violated}};
}

std::vector<ReplicationStatus> replication_statuses(const storage::Storage& storage,
                                                    const std::vector<std::string>& complete_backup_ids, TimePoint now,
                                                    Duration rpo) {
    std::map<std::string, const LineageSummary*> newest;  // per database
    const std::vector<LineageSummary> all = summaries(storage, complete_backup_ids);
    for (const LineageSummary& s : all) newest[s.lineage.record.database] = &s;  // oldest first: the last one wins
    std::vector<ReplicationStatus> out;
    for (const auto& [database, summary] : newest) {
        const replica::StoredLineage& lineage = summary->lineage;
        ReplicationStatus st;
        st.database = database;
        st.lineage_id = lineage.record.id;
        if (!lineage.segments.empty() && lineage.restorable_transactions() > 0) st.last_commit = lineage.last_point();
        // What was last known shipped: the oldest transaction still waiting, else everything up to the heartbeat.
        std::optional<TimePoint> shipped_through = lineage.last_point();
        if (storage.stat(replica::heartbeat_key(lineage.record.id))) {
            const Json beat = Json::parse(storage.read_all(replica::heartbeat_key(lineage.record.id)), nullptr, false);
            if (beat.is_object()) {
                st.heartbeat_at = time_field(beat, "updated_at");
                st.running = beat.value("running", false) && st.heartbeat_at && now - *st.heartbeat_at < heartbeat_stale_after;
                st.wal_bytes = beat.value("wal_bytes", std::uint64_t{0});
                st.unshipped_transactions = beat.value("unshipped_transactions", std::uint64_t{0});
                if (beat.contains("last_ship_error") && beat["last_ship_error"].is_string()) {
                    st.last_ship_error = beat["last_ship_error"].get<std::string>();
                }
                const auto oldest = time_field(beat, "oldest_unshipped_at");
                shipped_through = oldest ? oldest : st.heartbeat_at;
            }
        }
        st.lag = shipped_through && *shipped_through < now
                     ? std::chrono::duration_cast<Duration>(now - *shipped_through)
                     : Duration::zero();
        st.rpo_violated = st.lag > rpo;
        out.push_back(std::move(st));
    }
    return out;
}

}  // namespace soniabk
