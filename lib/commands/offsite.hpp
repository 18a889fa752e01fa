// Off-site copies as `status` sees them: per copy target, from the journal `copy` appends to.
#pragma once

#include "base/clock.hpp"
#include "repo/journal.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

struct OffsiteStatus {
    std::string target;                    // the destination repository, absolute
    std::optional<TimePoint> last_copy_at;  // the last copy that succeeded
    std::optional<std::string> newest_id;  // the newest backup a copy put (or found) there
    TimePoint newest_at{};
    Duration lag{};  // now - newest_at: what losing this machine would lose
    bool rpo_violated = true;

    Json to_json() const;
};

// Every target the journal names, and `configured` (`[copy] to`) even before its first copy.
std::vector<OffsiteStatus> offsite_statuses(const std::vector<JournalRecord>& journal,
                                            const std::optional<std::filesystem::path>& configured, TimePoint now,
                                            Duration rpo);

}  // namespace soniabk
