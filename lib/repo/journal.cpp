#include "repo/journal.hpp"

#include "platform/files.hpp"

#include <fstream>

namespace soniabk {

Json JournalRecord::to_json() const {
    return {{"command", command},
            {"at", format_iso8601(at)},
            {"ok", ok},
            {"duration_seconds", duration_seconds},
            {"detail", detail}};
}

void append_journal(const std::filesystem::path& journal, const JournalRecord& record) noexcept {
    try {
        if (!std::filesystem::is_directory(journal.parent_path())) return;
        const bool created = !std::filesystem::exists(journal);
        std::ofstream out(journal, std::ios::app | std::ios::binary);
        out << record.to_json().dump() << '\n';
        out.close();
        if (created) platform::make_owner_only(journal);
    } catch (...) {
        // Best effort by design: a full disk must not turn a successful backup into a failure.
    }
}

std::vector<JournalRecord> read_journal(const std::filesystem::path& journal) {
    std::vector<JournalRecord> records;
    std::ifstream in(journal, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        const auto j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        const auto at = parse_iso8601(j.value("at", ""));
        if (!at) continue;
        JournalRecord record;
        record.command = j.value("command", "");
        record.at = *at;
        record.ok = j.value("ok", false);
        record.duration_seconds = j.value("duration_seconds", 0.0);
        record.detail = j.value("detail", Json::object());
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace soniabk
