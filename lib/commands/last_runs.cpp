#include "commands/last_runs.hpp"

#include "repo/journal.hpp"

#include <fstream>
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

std::optional<LastRun> last_verify(const std::vector<JournalRecord>& journal) {
    const JournalRecord* record = newest(journal, "verify");
    if (record == nullptr) return std::nullopt;
    return LastRun{record->at, record->ok, std::nullopt, std::nullopt, "journal", record->detail};
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
