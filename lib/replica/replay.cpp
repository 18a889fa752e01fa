#include "replica/replay.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"
#include "replica/segment.hpp"
#include "replica/wal_follower.hpp"

#include <fmt/format.h>

namespace soniabk::replica {

namespace {

constexpr std::uint64_t journal_mode_offset = 18;  // file format write and read versions: 1 = rollback journal

// Segment n + 1 starts where segment n ended, or at the start of the log SQLite restarted after it.
bool continues(const Segment& previous, const Segment& next) {
    const WalPosition& end = previous.end;
    const WalPosition& start = next.start;
    if (!has_log(start)) return true;
    if (!has_log(end)) return start.offset == wal_header_bytes;
    const bool same_log = start.header.salt1 == end.header.salt1 && start.header.salt2 == end.header.salt2;
    if (same_log) return start.offset == end.offset && start.checksum == end.checksum;
    return start.offset == wal_header_bytes;
}

}  // namespace

const StoredLineage* lineage_for(const std::vector<StoredLineage>& lineages, TimePoint at) {
    const StoredLineage* best = nullptr;
    for (const StoredLineage& lineage : lineages) {  // oldest first
        const auto first = lineage.first_point();
        if (first && *first <= at) best = &lineage;
    }
    return best;
}

std::optional<TimePoint> point_at(const StoredLineage& lineage, TimePoint at) {
    const auto first = lineage.first_point();
    if (!first || *first > at) return std::nullopt;
    TimePoint point = *first;
    for (std::size_t i = lineage.record.fixup_segments; i < lineage.segments.size(); ++i) {
        const SegmentName& s = lineage.segments[i];
        if (s.first_commit > at) break;
        point = s.last_commit <= at ? s.last_commit : at;  // inside a segment: known exactly once it is read
    }
    return point;
}

ReplayedPoint replay_onto(const storage::Storage& storage, const StoredLineage& lineage, TimePoint at,
                          const pages::PageStoreKeys* keys, const std::filesystem::path& file) {
    ReplayedPoint point;
    point.lineage = lineage.record.id;
    platform::PatchFile out(file);
    std::optional<Segment> previous;
    bool page_one_written = false;
    for (std::size_t i = 0; i < lineage.segments.size(); ++i) {
        const SegmentName& name = lineage.segments[i];
        const bool fixup = i < lineage.record.fixup_segments;
        if (!fixup && name.first_commit > at) break;
        const fs::path origin = storage.location(name.key);
        Segment segment = decode_segment(storage.read_all(name.key), keys, origin);
        if (segment.sequence != name.sequence) {
            throw check_failed(ErrorCode::backup_damaged,
                               fmt::format("{}: holds segment {}, its name says {}", origin.string(), segment.sequence,
                                           name.sequence),
                               origin);
        }
        if (previous && !continues(*previous, segment)) {
            throw check_failed(ErrorCode::backup_damaged,
                               fmt::format("{}: does not start where segment {} ended", origin.string(),
                                           previous->sequence),
                               origin);
        }
        ++point.segments;
        for (const SegmentTransaction& t : segment.transactions) {
            if (!fixup && t.committed_at > at) break;
            for (std::size_t p = 0; p < t.page_numbers.size(); ++p) {
                const std::uint64_t offset = std::uint64_t{t.page_numbers[p] - 1} * segment.page_size;
                out.write_at(offset, t.pages.data() + p * segment.page_size, segment.page_size);
                page_one_written = page_one_written || t.page_numbers[p] == 1;
                ++point.pages_written;
            }
            point.database_pages = t.database_pages;
            point.committed_at = t.committed_at;
            if (!fixup) ++point.transactions;
        }
        if (fixup) point.committed_at = name.last_commit;
        previous = std::move(segment);
    }
    if (point.database_pages != 0 && previous) {
        out.resize(point.database_pages * std::uint64_t{previous->page_size});
    }
    if (page_one_written) {
        const unsigned char rollback[2] = {1, 1};
        out.write_at(journal_mode_offset, rollback, sizeof rollback);
    }
    out.sync();
    return point;
}

}  // namespace soniabk::replica
