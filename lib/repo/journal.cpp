#include "repo/journal.hpp"

#include "platform/processes.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

#include <atomic>
#include <sstream>

namespace soniabk {

Json JournalRecord::to_json() const {
    return {{"command", command},
            {"at", format_iso8601(at)},
            {"ok", ok},
            {"duration_seconds", duration_seconds},
            {"detail", detail}};
}

namespace {

// Where a storage that cannot append (object storage) keeps its journal: one object a record, named to sort by time.
constexpr std::string_view journal_records_prefix = "journal/";

std::string record_key(const JournalRecord& record) {
    static std::atomic<unsigned> sequence{0};
    return fmt::format("{}{}-{}-{}.json", journal_records_prefix, format_compact(record.at), platform::current_process_id(),
                       ++sequence);
}

void add_records(std::string_view lines, std::vector<JournalRecord>& records) {
    std::istringstream in{std::string(lines)};
    std::string line;
    while (std::getline(in, line)) {
        const auto j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        const auto at = parse_iso8601(field_or<std::string>(j, "at", ""));
        if (!at) continue;
        JournalRecord record;
        record.command = field_or<std::string>(j, "command", "");
        record.at = *at;
        record.ok = field_or(j, "ok", false);
        record.duration_seconds = field_or(j, "duration_seconds", 0.0);
        record.detail = field_or(j, "detail", Json::object());
        records.push_back(std::move(record));
    }
}

}  // namespace

void append_journal(storage::Storage& repo, const JournalRecord& record) noexcept {
    try {
        const std::string line = record.to_json().dump() + "\n";
        if (repo.has(storage::Capability::append)) {
            repo.append(journal_key, line);
        } else {
            repo.write_all(record_key(record), line, storage::Overwrite::never);
        }
    } catch (...) {
        // Best effort by design: a full disk must not turn a successful backup into a failure.
    }
}

std::vector<JournalRecord> read_journal(const storage::Storage& repo) {
    std::vector<JournalRecord> records;
    if (repo.stat(journal_key)) add_records(repo.read_all(journal_key), records);
    if (!repo.has(storage::Capability::append)) {
        for (const storage::ObjectInfo& o : repo.list(journal_records_prefix)) add_records(repo.read_all(o.key), records);
    }
    return records;
}

}  // namespace soniabk
