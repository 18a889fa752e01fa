#include "commands/restore_point.hpp"

#include "base/error.hpp"
#include "base/wording.hpp"
#include "commands/restore_support.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

std::string database_of(const RestoreOptions& options) {
    return fs::absolute(options.target).lexically_normal().string();
}

double seconds_between(TimePoint earlier, TimePoint later) {
    return std::chrono::duration<double>(later - earlier).count();
}

}  // namespace

std::optional<ReplayChoice> choose_replay(const RestoreOptions& options, const BackupEntry* backup) {
    if (options.selection != RestoreSelection::at) return std::nullopt;
    const Repository repo = Repository::open(options.repo);
    std::vector<replica::StoredLineage> lineages = replica::list_lineages(repo.storage(), database_of(options));
    if (lineages.empty()) {  // a restore elsewhere (a drill, a new machine): the lineages of a file with its name
        lineages = replica::list_lineages(repo.storage());
        std::erase_if(lineages, [&](const replica::StoredLineage& l) {
            return fs::path(l.record.database).filename() != options.target.filename();
        });
    }
    const std::vector<BackupEntry> entries = repo.scan();
    // Only lineages whose base is still a complete backup can be replayed.
    std::erase_if(lineages, [&](const replica::StoredLineage& l) {
        return std::none_of(entries.begin(), entries.end(), [&](const BackupEntry& e) {
            return e.is_complete() && e.id() == l.record.base_backup_id;
        });
    });
    const replica::StoredLineage* lineage = replica::lineage_for(lineages, options.at);
    if (lineage == nullptr) return std::nullopt;
    const std::optional<TimePoint> point = replica::point_at(*lineage, options.at);
    if (!point || (backup != nullptr && *point <= backup->time)) return std::nullopt;
    return ReplayChoice{*lineage, *point};
}

BackupEntry choose_backup_or_base(const RestoreOptions& options, std::optional<ReplayChoice>& replay) {
    BackupEntry chosen = choose_backup(options);
    replay = choose_replay(options, &chosen);
    return replay ? replay_base(options, *replay) : chosen;
}

BackupEntry replay_base(const RestoreOptions& options, const ReplayChoice& choice) {
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    return find_backup(entries, choice.lineage.record.base_backup_id);
}

std::string replay_segments(const RestoreOptions& options, const BackupEntry& base, const ReplayChoice& choice,
                            const fs::path& copy, RestoreResult& result) {
    const std::optional<pages::PageStoreKeys> keys = page_keys_of(base, options.keys);
    const replica::ReplayedPoint point =
        replica::replay_onto(*base.storage, choice.lineage, options.at, keys ? &*keys : nullptr, copy);
    result.point = point_to_json(point, options.at);
    return fmt::format("{} of lineage {} replayed ({} read): the state at {}, {:.3f} s before --at",
                       count_of(point.transactions, "transaction"), point.lineage,
                       count_of(point.segments, "segment"), format_iso8601(point.committed_at),
                       seconds_between(point.committed_at, options.at));
}

Json point_to_json(const replica::ReplayedPoint& point, TimePoint at) {
    return Json{{"lineage_id", point.lineage},
                {"committed_at", format_iso8601(point.committed_at)},
                {"seconds_before_at", seconds_between(point.committed_at, at)},
                {"transactions_replayed", point.transactions},
                {"segments_read", point.segments},
                {"pages_written", point.pages_written}};
}

}  // namespace soniabk
