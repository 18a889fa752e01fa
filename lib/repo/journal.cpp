#include "repo/journal.hpp"

#include "repo/repository.hpp"

#include <sstream>

namespace soniabk {

Json JournalRecord::to_json() const {
    return {{"command", command},
            {"at", format_iso8601(at)},
            {"ok", ok},
            {"duration_seconds", duration_seconds},
            {"detail", detail}};
}

void append_journal(storage::Storage& repo, const JournalRecord& record) noexcept {
    try {
        repo.append(journal_key, record.to_json().dump() + "\n");
    } catch (...) {
        // Best effort by design: a full disk must not turn a successful backup into a failure.
    }
}

std::vector<JournalRecord> read_journal(const storage::Storage& repo) {
    std::vector<JournalRecord> records;
    std::istringstream in(repo.stat(journal_key) ? repo.read_all(journal_key) : std::string());
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
    return records;
}

}  // namespace soniabk
