// restore --at over replication: when a lineage of the target's database reaches nearer to --at than any
// backup taken by then, the restore rebuilds its base and replays its segments up to --at.
#pragma once

#include "base/json.hpp"
#include "commands/restore.hpp"
#include "replica/lineage.hpp"
#include "replica/replay.hpp"
#include "repo/repository.hpp"

#include <optional>

namespace soniabk {

struct ReplayChoice {
    replica::StoredLineage lineage;
    TimePoint point{};  // the last restorable point at or before --at, as the segments' names say
};

// The lineage to replay for --at instead of restoring `backup` alone (null: no backup by then), or none.
std::optional<ReplayChoice> choose_replay(const RestoreOptions& options, const BackupEntry* backup);
// The backup a restore starts from: with --at inside a lineage, its base (and `replay` set), else choose_backup's.
BackupEntry choose_backup_or_base(const RestoreOptions& options, std::optional<ReplayChoice>& replay);
// The lineage's base backup among the repository's entries (a usage error when it is gone).
BackupEntry replay_base(const RestoreOptions& options, const ReplayChoice& choice);
// Replays onto the rebuilt base at `copy`; returns the step detail and fills the result's point.
std::string replay_segments(const RestoreOptions& options, const BackupEntry& base, const ReplayChoice& choice,
                            const fs::path& copy, RestoreResult& result);

Json point_to_json(const replica::ReplayedPoint& point, TimePoint at);

}  // namespace soniabk
