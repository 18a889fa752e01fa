#include "commands/last_runs.hpp"

#include "repo/journal.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace soniabk {

namespace {

const JournalRecord* newest(const std::vector<JournalRecord>& journal, std::string_view command) {
    const JournalRecord* found = nullptr;
    for (const auto& record : journal) {
        if (record.command == command && (found == nullptr || record.at >= found->at)) found = &record;
    }
    return found;
}

std::set<std::string> ids_in(const Json& detail, const char* key) {
    std::set<std::string> ids;
    const auto it = detail.find(key);
    if (it == detail.end() || !it->is_array()) return ids;
    for (const Json& id : *it) {
        if (id.is_string()) ids.insert(id.get<std::string>());
    }
    return ids;
}

// Whether a verify run with `detail` read at least what the one with `earlier` did: as deep, and all of the data
// or the same part of it (one --read-data-subset part says nothing of another).
bool reads_as_much(const Json& detail, const Json& earlier) {
    const bool deep = detail.value("deep", false);
    if (!deep && earlier.value("deep", false)) return false;
    const auto part = [](const Json& d) -> std::optional<std::pair<Json, Json>> {
        const auto it = d.find("subset");
        if (it == d.end() || !it->is_object()) return std::nullopt;
        return std::pair{it->value("n", Json()), it->value("m", Json())};
    };
    if (!part(detail)) return !part(earlier) || deep;
    return part(detail) == part(earlier);
}

std::optional<double> number(const Json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

// A drill passed when it says so; a record without "passed" falls back to whether the command succeeded.
bool passed(const Json& detail, bool fallback) {
    const auto it = detail.find("passed");
    return it != detail.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::optional<LastRun> read_last_drill_file(const storage::Storage& repo) {
    if (!repo.stat(last_drill_key)) return std::nullopt;
    const Json j = Json::parse(repo.read_all(last_drill_key), nullptr, false);
    if (!j.is_object()) return std::nullopt;
    const auto at = parse_iso8601(field_or<std::string>(j, "finished_at", ""));
    if (!at) return std::nullopt;
    const std::string status = field_or<std::string>(j, "status", "");
    LastRun run;
    run.at = *at;
    run.ok = passed(j, status == "passed" || status == "ok");
    run.rto_seconds = number(j, "rto_actual_seconds");
    run.rto_target_seconds = number(j, "rto_target_seconds");
    run.source = repo.location(last_drill_key).string();
    run.detail = j;
    run.detail.erase("steps");  // the step list is for `drill` itself; status keeps the summary
    return run;
}

}  // namespace

std::optional<LastRun> last_verify(const std::vector<JournalRecord>& journal, const std::set<std::string>& existing_ids) {
    std::vector<const JournalRecord*> runs;
    for (const auto& record : journal) {
        if (record.command == "verify") runs.push_back(&record);
    }
    if (runs.empty()) return std::nullopt;
    std::stable_sort(runs.begin(), runs.end(), [](const JournalRecord* a, const JournalRecord* b) { return a->at < b->at; });
    const JournalRecord* latest = runs.back();
    // Which backups a failure named that no run since has checked as thoroughly and passed, and the run naming each.
    std::map<std::string, const JournalRecord*> outstanding;
    for (const JournalRecord* run : runs) {
        const std::set<std::string> failed = ids_in(run->detail, "failed");
        if (run->detail.contains("checked")) {
            for (const std::string& id : ids_in(run->detail, "checked")) {
                const auto found = outstanding.find(id);
                if (found != outstanding.end() && !failed.contains(id) && reads_as_much(run->detail, found->second->detail)) {
                    outstanding.erase(found);
                }
            }
        } else if (run->ok) {
            outstanding.clear();  // a line from before runs named what they checked: a pass cleared everything
        }
        for (const std::string& id : failed) outstanding[id] = run;
    }
    std::erase_if(outstanding, [&](const auto& entry) { return !existing_ids.contains(entry.first); });
    if (outstanding.empty() || !latest->ok) {
        return LastRun{latest->at, latest->ok, std::nullopt, std::nullopt, "journal", latest->detail};
    }
    const JournalRecord* standing = outstanding.begin()->second;
    Json unchecked = Json::array();
    for (const auto& [id, run] : outstanding) {
        unchecked.push_back(id);
        if (run->at > standing->at) standing = run;
    }
    Json detail = standing->detail;
    detail["outstanding"] = unchecked;
    return LastRun{standing->at, false, std::nullopt, std::nullopt, "journal", detail};
}

std::optional<LastRun> last_drill(const std::vector<JournalRecord>& journal, const storage::Storage& repo) {
    std::optional<LastRun> from_journal;
    if (const JournalRecord* record = newest(journal, "drill")) {
        from_journal = LastRun{record->at, passed(record->detail, record->ok), number(record->detail, "rto_actual_seconds"),
                               number(record->detail, "rto_target_seconds"), "journal", record->detail};
    }
    std::optional<LastRun> from_file = read_last_drill_file(repo);
    if (!from_file) return from_journal;
    if (!from_journal) return from_file;
    return from_file->at > from_journal->at ? from_file : from_journal;
}

}  // namespace soniabk
