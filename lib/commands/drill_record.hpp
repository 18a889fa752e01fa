// After a drill: the incident bundle of a failure, scratch clean-up, the last result and the journal line.
#pragma once

#include "commands/drill.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

// What the steps leave behind for an incident bundle.
struct DrillEvidence {
    Json restore = nullptr;        // the rehearsed restore's result
    std::string integrity_output;  // PRAGMA integrity_check's findings, or "not run"
    std::optional<std::string> manifest;
};

// Fills the result's record, scratch and incident fields, then: writes the incident bundle when the drill
// did not pass, removes the scratch directory unless --keep, writes <repo>/drills/last.json atomically and
// appends the journal line.
void record_drill(const DrillOptions& options, DrillResult& result, const DrillEvidence& evidence);

}  // namespace soniabk
