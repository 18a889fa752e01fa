// The drill's recovery probe: a memory hard-deleted from the scratch copy comes back through `recover memories`.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/progress.hpp"
#include "base/steps.hpp"
#include "codec/keys.hpp"
#include "sonia/memory_rows.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

struct RecoverProbeOptions {
    std::filesystem::path repo;
    std::filesystem::path database;  // the drill's scratch copy, restored from backup_id; never the live database
    std::string backup_id;
    KeyOptions keys;
    const Clock* clock = &system_clock();
    Progress* progress = &no_progress();
};

// What the probe did, for the drill's `recover_probe` field.
struct RecoverProbeReport {
    std::optional<std::int64_t> memory_id;  // none: the backup has no memory to probe with
    RelatedCounts deleted;                  // the rows that belonged to it, deleted with it
    std::string action;                     // what `recover memories` did with it (inserted when it works)
    RelatedCounts recovered;                // the related rows it copied back
    bool row_equal = false;                 // the memory and its related rows are as before the delete
    std::string fts = "none";               // found | not_found | none (no memories_fts) | no_words

    Json to_json() const;
};

// Picks a memory of the scratch copy (pick_probe_memory), hard-deletes it with its rows and index entry,
// recovers it from the drilled backup with the code of `recover memories` (no pre-recover backup, no
// journal line) and checks it is back whole and found by FTS5 again. A finding fails the outcome; errors
// (an unsupported index, an unreadable backup) are thrown.
StepOutcome run_recover_probe(const RecoverProbeOptions& options, RecoverProbeReport& report);

}  // namespace soniabk
