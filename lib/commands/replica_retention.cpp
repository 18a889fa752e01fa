#include "commands/replica_retention.hpp"

#include <algorithm>
#include "replica/lineage.hpp"

#include <fmt/format.h>

#include <map>

namespace soniabk {

namespace {

constexpr Duration orphan_grace = std::chrono::hours(24);

bool replicate_writing(const storage::Storage& storage, const std::string& lineage, TimePoint now) {
    if (!storage.stat(replica::heartbeat_key(lineage))) return false;
    const Json beat = Json::parse(storage.read_all(replica::heartbeat_key(lineage)), nullptr, false);
    if (!beat.is_object() || !beat.value("running", false) || !beat.contains("updated_at") ||
        !beat["updated_at"].is_string()) {
        return false;
    }
    const auto at = parse_iso8601(beat["updated_at"].get<std::string>());
    return at && now - *at < std::chrono::minutes(5);
}

// Every object under replica/, by lineage directory.
std::map<std::string, std::vector<storage::ObjectInfo>> objects_by_lineage(const storage::Storage& storage) {
    std::map<std::string, std::vector<storage::ObjectInfo>> by;
    for (const storage::ObjectInfo& object : storage.list(replica::replica_prefix)) {
        const std::string_view rest = std::string_view(object.key).substr(replica::replica_prefix.size());
        const std::size_t slash = rest.find('/');
        if (slash != std::string_view::npos) by[std::string(rest.substr(0, slash))].push_back(object);
    }
    return by;
}

}  // namespace

Json RemovedLineage::to_json() const {
    return Json{{"lineage_id", lineage_id}, {"reason", reason}, {"objects", objects}, {"bytes", bytes}};
}

ReplicaRetention plan_replica_retention(const storage::Storage& storage, TimePoint now, Duration window) {
    ReplicaRetention plan;
    std::set<std::string> recorded;
    for (const replica::StoredLineage& lineage : replica::list_lineages(storage)) {
        const std::string& id = lineage.record.id;
        recorded.insert(id);
        const auto last = lineage.last_point();
        const TimePoint newest = last ? *last : lineage.record.started_at;
        if (newest >= now - window || replicate_writing(storage, id, now)) {
            plan.bases_kept[lineage.record.base_backup_id] =
                fmt::format("base of replication lineage {} (points to {})", id, format_iso8601(newest));
        } else {
            plan.expired.insert(id);
        }
    }
    for (const auto& [id, objects] : objects_by_lineage(storage)) {
        if (recorded.contains(id)) continue;
        const bool old = std::all_of(objects.begin(), objects.end(),
                                     [&](const storage::ObjectInfo& o) { return o.modified < now - orphan_grace; });
        if (old) plan.orphans.push_back(id);
    }
    return plan;
}

std::vector<RemovedLineage> remove_lineages(storage::Storage& storage, const ReplicaRetention& plan,
                                           const std::set<std::string>& remaining, bool apply) {
    std::vector<std::pair<std::string, std::string>> doomed;  // lineage, reason
    for (const replica::StoredLineage& lineage : replica::list_lineages(storage)) {
        const std::string& id = lineage.record.id;
        if (plan.expired.contains(id)) {
            doomed.emplace_back(id, "its points are older than --keep-points-within");
        } else if (!remaining.contains(lineage.record.base_backup_id)) {
            doomed.emplace_back(id, "its base backup " + lineage.record.base_backup_id + " is gone");
        }
    }
    for (const std::string& id : plan.orphans) doomed.emplace_back(id, "no lineage record: a start that never finished");
    const auto objects = objects_by_lineage(storage);
    std::vector<RemovedLineage> removed;
    for (const auto& [id, reason] : doomed) {
        RemovedLineage r{id, reason, 0, 0};
        const auto found = objects.find(id);
        if (found == objects.end()) continue;
        for (const storage::ObjectInfo& o : found->second) {
            ++r.objects;
            r.bytes += o.size_bytes;
        }
        if (apply) {
            const std::string record = replica::lineage_key(id);
            if (storage.stat(record)) storage.remove(record);
            for (const storage::ObjectInfo& o : found->second) {
                if (o.key != record) storage.remove(o.key);
            }
        }
        removed.push_back(std::move(r));
    }
    return removed;
}

}  // namespace soniabk
