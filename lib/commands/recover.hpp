// `recover memories`: bring single memories back into the live database from a backup (or un-archive them).
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/progress.hpp"
#include "codec/keys.hpp"
#include "sonia/memory_rows.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// How the memories to recover are chosen.
enum class RecoverSelection {
    ids,            // --id ID...
    match,          // --match TEXT: FTS5 MATCH in the backup when it has memories_fts, else LIKE
    deleted_since,  // --deleted-since TIME: in the backup, gone from the live database
};

enum class ExistingRow { skip, replace };

// What the database recovered into is, and so what guards the change.
enum class RecoverTarget {
    live,          // the live database: a pre-recover backup first, a journal line, the repository opened for writing
    scratch_copy,  // a disposable copy (the drill's recovery probe): none of these; the repository is only read
};

struct RecoverOptions {
    fs::path repo;  // the backup to read, the pre-recover backup and the journal
    fs::path db;
    std::string from;  // backup id or prefix
    RecoverSelection selection = RecoverSelection::ids;
    std::vector<std::int64_t> ids;
    std::string match;
    TimePoint deleted_since{};
    ExistingRow existing = ExistingRow::skip;
    bool dry_run = false;
    RecoverTarget target = RecoverTarget::live;
    Duration busy_timeout = std::chrono::seconds(10);
    KeyOptions keys;
    const Clock* clock = &system_clock();
    Progress* progress = &no_progress();
};

// One selected memory and what happened to it (on a dry run: what would).
struct RecoveredRow {
    std::int64_t id = 0;
    std::string action;  // inserted | replaced | skipped | unarchived
    std::string reason;  // why skipped: exists | not_in_backup | not_found | not_archived (else empty)
    RelatedCounts related;  // rows that belong to it, by table
};

struct RecoverResult {
    bool dry_run = false;
    std::string from;  // the backup read (empty for --unarchive)
    std::optional<std::int64_t> schema_version;
    std::string fts = "none";  // the live memories_fts: none | external_content | contentless | self_contained
    std::vector<RecoveredRow> rows;
    std::optional<std::string> backup_id;  // the pre-recover backup (none on a dry run or when nothing changed)
    fs::path backup_path;

    std::int64_t count(const std::string& action) const;
    Json to_json() const;
};

RecoverResult recover_memories(const RecoverOptions& options);

struct UnarchiveOptions {
    fs::path repo;  // for the journal; none: not journaled
    fs::path db;
    std::vector<std::int64_t> ids;
    bool dry_run = false;
    Duration busy_timeout = std::chrono::seconds(10);
    const Clock* clock = &system_clock();
};

// Clears archived_at of the given memories in one transaction (the soft-delete case: no backup read).
RecoverResult unarchive_memories(const UnarchiveOptions& options);

}  // namespace soniabk
