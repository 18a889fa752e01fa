// The last verify and the last recovery drill, as the journal and `<repo>/drills/last.json` record them.
#pragma once

#include "commands/status.hpp"

#include <optional>
#include <vector>

namespace soniabk {

struct JournalRecord;

// The newest "verify" record; nothing when verify never ran.
std::optional<LastRun> last_verify(const std::vector<JournalRecord>& journal);

// The newer of the newest "drill" record and `drills/last.json`; nothing when no drill ever ran.
// An unreadable last.json counts as absent: the journal still has the drill's line.
std::optional<LastRun> last_drill(const std::vector<JournalRecord>& journal, const fs::path& last_drill_file);

}  // namespace soniabk
