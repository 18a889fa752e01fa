// The repository's journal: one JSON line per backup, verify, restore, drill or prune, for `status`.
#pragma once

#include "base/clock.hpp"
#include "storage/storage.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk {

struct JournalRecord {
    std::string command;  // "backup db", "verify", ...
    TimePoint at{};
    bool ok = false;
    double duration_seconds = 0;
    Json detail = Json::object();  // backup_id, error, counts ...

    Json to_json() const;
};

// Appends one line; the journal is a record, never a reason to fail the work itself.
void append_journal(storage::Storage& repo, const JournalRecord& record) noexcept;

// Every readable record, oldest first; a line torn by a crash is skipped.
std::vector<JournalRecord> read_journal(const storage::Storage& repo);

}  // namespace soniabk
