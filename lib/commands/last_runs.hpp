// The last verify and the last recovery drill, as the journal and `<repo>/drills/last.json` record them.
#pragma once

#include "commands/status.hpp"
#include "storage/storage.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace soniabk {

struct JournalRecord;

// The last drill's full result, beside the journal line it also leaves.
inline constexpr std::string_view last_drill_key = "drills/last.json";

// The newest "verify" record; nothing when verify never ran. A failure stands past later passing runs until
// one of them has checked each backup it found bad, or that backup is gone (not in `existing_ids`): a pass of
// one backup, or of another subset, clears nothing else. A standing failure comes back with `outstanding`
// (the ids still unchecked) in its detail.
std::optional<LastRun> last_verify(const std::vector<JournalRecord>& journal, const std::set<std::string>& existing_ids);

// The newer of the newest "drill" record and `drills/last.json`; nothing when no drill ever ran.
// An unreadable last.json counts as absent: the journal still has the drill's line.
std::optional<LastRun> last_drill(const std::vector<JournalRecord>& journal, const storage::Storage& repo);

}  // namespace soniabk
