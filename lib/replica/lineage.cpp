#include "replica/lineage.hpp"

#include "base/error.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace soniabk::replica {

namespace {

constexpr std::string_view lineage_file = "lineage.json";
constexpr std::string_view segment_extension = ".seg";

std::int64_t millis(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_millis(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// `<sequence>_<first>_<last>_<count>.seg`, or nothing for a name of any other shape.
std::optional<SegmentName> parse_segment_name(const storage::ObjectInfo& object, std::string_view name) {
    if (!name.ends_with(segment_extension)) return std::nullopt;
    name.remove_suffix(segment_extension.size());
    std::uint64_t fields[4] = {};
    for (int i = 0; i < 4; ++i) {
        const std::size_t end = i == 3 ? name.size() : name.find('_');
        if (end == std::string_view::npos) return std::nullopt;
        const auto [ptr, ec] = std::from_chars(name.data(), name.data() + end, fields[i]);
        if (ec != std::errc() || ptr != name.data() + end) return std::nullopt;
        name.remove_prefix(i == 3 ? end : end + 1);
    }
    return SegmentName{object.key, fields[0], from_millis(static_cast<std::int64_t>(fields[1])),
                       from_millis(static_cast<std::int64_t>(fields[2])), fields[3], object.size_bytes};
}

std::optional<LineageRecord> parse_record(const std::string& text) {
    const Json j = Json::parse(text, nullptr, false);
    if (!j.is_object() || j.value("format", 0) != 1) return std::nullopt;
    try {
        LineageRecord r;
        r.id = j.at("lineage_id").get<std::string>();
        r.database = j.at("database").get<std::string>();
        r.base_backup_id = j.at("base_backup_id").get<std::string>();
        const auto started = parse_iso8601(j.at("started_at").get<std::string>());
        if (!started) return std::nullopt;
        r.started_at = *started;
        r.fixup_segments = j.at("fixup_segments").get<std::uint64_t>();
        return r;
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

Json LineageRecord::to_json() const {
    return Json{{"format", 1},
                {"lineage_id", id},
                {"database", database},
                {"base_backup_id", base_backup_id},
                {"started_at", format_iso8601(started_at)},
                {"fixup_segments", fixup_segments}};
}

std::optional<TimePoint> StoredLineage::first_point() const {
    if (segments.size() < record.fixup_segments || record.fixup_segments == 0) return std::nullopt;
    return segments[record.fixup_segments - 1].last_commit;
}

std::optional<TimePoint> StoredLineage::last_point() const {
    if (!first_point()) return std::nullopt;
    return segments.back().last_commit;
}

std::uint64_t StoredLineage::restorable_transactions() const {
    std::uint64_t count = 0;
    for (std::size_t i = record.fixup_segments; i < segments.size(); ++i) count += segments[i].transactions;
    return count;
}

std::string new_lineage_id(TimePoint at) { return "lin_" + new_backup_id(at).substr(4); }

std::string lineage_key(const std::string& lineage) {
    return fmt::format("{}{}/{}", replica_prefix, lineage, lineage_file);
}

std::string heartbeat_key(const std::string& lineage) {
    return fmt::format("{}{}/heartbeat.json", replica_prefix, lineage);
}

std::string segment_key(const std::string& lineage, std::uint64_t sequence, TimePoint first, TimePoint last,
                        std::uint64_t transactions) {
    return fmt::format("{}{}/{:012}_{}_{}_{}{}", replica_prefix, lineage, sequence, millis(first), millis(last),
                       transactions, segment_extension);
}

void write_lineage(storage::Storage& storage, const LineageRecord& record) {
    storage.write_all(lineage_key(record.id), record.to_json().dump(2) + "\n", storage::Overwrite::replace);
}

std::vector<StoredLineage> list_lineages(const storage::Storage& storage, const std::string& database) {
    std::map<std::string, std::vector<SegmentName>> segments;
    std::vector<std::string> records;
    for (const storage::ObjectInfo& object : storage.list(replica_prefix)) {
        const std::string_view rest = std::string_view(object.key).substr(replica_prefix.size());
        const std::size_t slash = rest.find('/');
        if (slash == std::string_view::npos) continue;
        const std::string lineage(rest.substr(0, slash));
        const std::string_view name = rest.substr(slash + 1);
        if (name == lineage_file) {
            records.push_back(lineage);
        } else if (auto segment = parse_segment_name(object, name)) {
            segments[lineage].push_back(std::move(*segment));
        }
    }
    std::vector<StoredLineage> lineages;
    for (const std::string& id : records) {
        std::optional<LineageRecord> record = parse_record(storage.read_all(lineage_key(id)));
        if (!record || record->id != id) continue;
        if (!database.empty() && record->database != database) continue;
        StoredLineage lineage{std::move(*record), std::move(segments[id]), false};
        std::sort(lineage.segments.begin(), lineage.segments.end(),
                  [](const SegmentName& a, const SegmentName& b) { return a.sequence < b.sequence; });
        for (std::size_t i = 0; i < lineage.segments.size(); ++i) {
            if (lineage.segments[i].sequence == i) continue;
            lineage.gap = true;
            lineage.segments.resize(i);
            break;
        }
        lineages.push_back(std::move(lineage));
    }
    std::sort(lineages.begin(), lineages.end(), [](const StoredLineage& a, const StoredLineage& b) {
        return a.record.started_at != b.record.started_at ? a.record.started_at < b.record.started_at
                                                          : a.record.id < b.record.id;
    });
    return lineages;
}

}  // namespace soniabk::replica
