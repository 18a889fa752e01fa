#include "commands/replication.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/wording.hpp"
#include "codec/compress.hpp"
#include "commands/backup.hpp"
#include "io/byte_source.hpp"
#include "replica/segment.hpp"
#include "sqlite/swap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>

namespace soniabk {

namespace {

constexpr Duration heartbeat_every = std::chrono::seconds(5);
constexpr Duration checkpoint_at_least_every = std::chrono::seconds(30);
// Past this many transactions waiting for an unreachable repository, replicate stops (and resumes from the WAL).
constexpr std::size_t max_unshipped_transactions = 1'000'000;

fs::path wal_of(const fs::path& db) { return db.string() + "-wal"; }

// A stop asked for while a base is taken waits for a second base (seconds), so that the stop still ships every
// commit into a lineage and exits 0; a second request stops the retry too.
BackupResult take_base(const BackupDbOptions& base) {
    try {
        return backup_database(base);
    } catch (const Error& e) {
        if (e.code_id() != ErrorCode::interrupted) throw;
    }
    const interrupt::Request asked = interrupt::take();
    BackupResult written = backup_database(base);
    interrupt::request(asked);
    return written;
}

// Whether the WAL on disk still holds `end`'s log with the same frames up to it (checksum at its offset).
class ChecksumAt final : public WalVisitor {
public:
    explicit ChecksumAt(const WalPosition& end) : end_(end) {}
    void frame(std::uint32_t, const unsigned char*) override {}
    void commit(std::uint32_t, std::uint64_t end_offset, WalChecksum running) override {
        if (end_offset == end_.offset) matched_ = running == end_.checksum;
    }
    bool matched() const { return matched_; }

private:
    WalPosition end_;
    bool matched_ = false;
};

bool wal_still_holds(const fs::path& wal, const WalPosition& end) {
    std::error_code ec;
    if (!replica::has_log(end) || !fs::exists(wal, ec)) return false;
    FileSource source(wal);
    ChecksumAt check(end);
    const WalScan scan = scan_wal(source, check);
    const bool same_log = scan.header && scan.header->salt1 == end.header.salt1 && scan.header->salt2 == end.header.salt2;
    return same_log && (check.matched() || (end.offset == wal_header_bytes && end.checksum == end.header.checksum));
}

}  // namespace

Replication::Replication(const ReplicateOptions& options, const Repository& repo, const pages::PageStoreKeys* keys,
                         ReplicateResult& result)
    : options_(options), repo_(repo), keys_(keys), result_(result),
      source_(fs::absolute(options.db).lexically_normal().string()) {}

void Replication::open() {
    if (!resume()) start_lineage(result_.new_lineage_reasons.empty() ? "no lineage of this database yet"
                                                                     : result_.new_lineage_reasons.back());
}

bool Replication::resume() {
    const std::vector<replica::StoredLineage> lineages = replica::list_lineages(repo_.storage(), source_);
    if (lineages.empty()) return false;
    const replica::StoredLineage& newest = lineages.back();
    const auto refuse = [&](const std::string& why) {
        result_.new_lineage_reasons.push_back(fmt::format("lineage {} cannot continue: {}", newest.record.id, why));
        return false;
    };
    if (newest.gap) return refuse("a segment is missing");
    if (newest.segments.size() < newest.record.fixup_segments || newest.segments.empty()) {
        return refuse("its segments are incomplete");
    }
    const std::vector<BackupEntry> entries = repo_.scan();
    const bool base_present = std::any_of(entries.begin(), entries.end(), [&](const BackupEntry& e) {
        return e.is_complete() && e.id() == newest.record.base_backup_id;
    });
    if (!base_present) return refuse("its base backup " + newest.record.base_backup_id + " is gone");
    const replica::SegmentName& last_name = newest.segments.back();
    replica::Segment last;
    try {
        last = replica::decode_segment(repo_.storage().read_all(last_name.key), keys_,
                                       repo_.storage().location(last_name.key));
    } catch (const Error& e) {
        if (e.category() != ErrorCategory::check_failed && e.code_id() != ErrorCode::backup_damaged) throw;
        return refuse(std::string("its last segment is unreadable: ") + e.what());
    }
    // Hold the WAL first: from here on no checkpoint can restart it under the check below.
    hold_.emplace(options_.db, options_.busy_timeout);
    if (!wal_still_holds(wal_of(options_.db), last.end)) {
        return refuse("the WAL no longer holds its last shipped frame (the database was checkpointed, replaced or "
                      "restored while replicate was stopped)");
    }
    follower_.emplace(wal_of(options_.db), last.end, false);
    lineage_ = newest.record;
    page_size_ = last.page_size;
    next_sequence_ = newest.segments.size();
    shipped_end_ = last.end;
    lineage_started_ = newest.record.started_at;
    last_ship_ = options_.clock->now();
    last_checkpoint_at_ = last_ship_;
    checkpoint_attempt_ = last.end;
    result_.resumed = true;
    result_.lineages.push_back(lineage_.id);
    return true;
}

void Replication::start_lineage(const std::string& reason) {
    if (result_.new_lineage_reasons.empty() || result_.new_lineage_reasons.back() != reason) {
        result_.new_lineage_reasons.push_back(reason);
    }
    if (!lineage_.id.empty() && follower_) write_heartbeat(Heartbeat::stopping);  // the old lineage ends here
    follower_.reset();
    hold_.reset();
    // 1. Hold the WAL before the base is read: every frame from the log's start on stays until shipped.
    hold_.emplace(options_.db, options_.busy_timeout);
    // Every frame committed by now is in the base, whose snapshot begins after this: the fix-up starts here.
    const WalPosition start = replica::committed_end(wal_of(options_.db));
    follower_.emplace(wal_of(options_.db), start, true);
    unshipped_.clear();
    // 2. The base: an ordinary page-store backup, so list, verify, copy and retention all know it.
    BackupDbOptions base;
    base.repo = options_.repo;
    base.db = options_.db;
    base.label = "replica";
    base.format = BackupFormat::pages;
    base.codec = options_.codec;
    base.busy_timeout = options_.busy_timeout;
    base.clock = options_.clock;
    base.trace = options_.trace;
    const BackupResult written = take_base(base);
    const TimePoint now = options_.clock->now();
    lineage_ = replica::LineageRecord{replica::new_lineage_id(now), source_, written.manifest.backup_id, now, 0};
    page_size_ = static_cast<std::uint32_t>(written.manifest.pages->page_size);
    next_sequence_ = 0;
    shipped_end_ = start;
    lineage_started_ = now;
    // 3. The fix-up: the frames committed since `start`, which the base's snapshot may or may not hold. Replayed
    //    onto the base they give the state at this read, the lineage's first restorable point.
    ship_segment({}, start);
    do {
        if (!follower_->read(*options_.clock)) {
            throw runtime_error(ErrorCode::internal, follower_->broken_reason(), options_.db);
        }
        unshipped_ = follower_->take();
        ship_unshipped();
    } while (!follower_->caught_up());
    // 4. The record last: until it exists the lineage is no lineage.
    lineage_.fixup_segments = next_sequence_;
    replica::write_lineage(repo_.storage(), lineage_);
    result_.lineages.push_back(lineage_.id);
    last_ship_ = now;
    checkpoint_attempt_ = follower_->position();
    last_checkpoint_at_ = now;
}

void Replication::ship_segment(std::span<const replica::SegmentTransaction> transactions, const WalPosition& end) {
    replica::Segment segment;
    segment.sequence = next_sequence_;
    segment.page_size = replica::has_log(end) ? end.header.page_size : page_size_;
    segment.start = shipped_end_;
    segment.end = end;
    segment.transactions.assign(transactions.begin(), transactions.end());
    // Only a lineage's first segment is empty: it is named after the lineage's start.
    const TimePoint first = transactions.empty() ? lineage_started_ : transactions.front().committed_at;
    const TimePoint last = transactions.empty() ? lineage_started_ : transactions.back().committed_at;
    const std::string stored = replica::encode_segment(segment, options_.codec.zstd_level.value_or(default_zstd_level), keys_);
    repo_.storage().write_all(replica::segment_key(lineage_.id, segment.sequence, first, last, transactions.size()),
                              stored, storage::Overwrite::never);
    ++result_.segments;
    result_.transactions += transactions.size();
    result_.stored_bytes += stored.size();
    if (!transactions.empty()) result_.last_commit = last;
    page_size_ = segment.page_size;
    shipped_end_ = end;
    ++next_sequence_;
}

void Replication::ship_unshipped() {
    while (!unshipped_.empty()) {
        std::size_t count = 0;
        std::size_t bytes = 0;
        // Cut before the transaction that would take the segment past its target (one alone always fits a block).
        while (count < unshipped_.size()) {
            const std::size_t next = unshipped_[count].pages.size() + unshipped_[count].page_numbers.size() * 4 + 16;
            if (count > 0 && bytes + next > replica::segment_target_bytes) break;
            bytes += next;
            ++count;
        }
        ship_segment(std::span(unshipped_).first(count), unshipped_[count - 1].ends_at);
        unshipped_.erase(unshipped_.begin(), unshipped_.begin() + static_cast<std::ptrdiff_t>(count));
    }
}

void Replication::ship_pending() {
    for (replica::SegmentTransaction& t : follower_->take()) unshipped_.push_back(std::move(t));
    last_ship_ = options_.clock->now();
    try {
        ship_unshipped();
        result_.last_ship_error.reset();
    } catch (const Error& e) {
        // A repository out of reach: the transactions wait in memory (and in the WAL, which the read lock keeps)
        // for the next interval, so the lag recovers when it answers again.
        if (e.category() != ErrorCategory::runtime) throw;
        if (e.code_id() == ErrorCode::interrupted) return;  // the loop sees the request and ships them before it stops
        ++result_.ship_failures;
        result_.last_ship_error = e.what();
        if (unshipped_.size() > max_unshipped_transactions) throw;
    }
}

void Replication::poll(Ship ship) {
    const TimePoint now = options_.clock->now();
    do {
        if (!follower_->read(*options_.clock)) {
            const std::string reason = follower_->broken_reason();
            ship_pending();
            start_lineage(reason);
            return;
        }
        result_.max_wal_bytes_seen = std::max(result_.max_wal_bytes_seen, follower_->wal_bytes());
        // A backlog (a restart after a long stop) ships as it is read, so memory stays at about one segment.
        if (ship == Ship::now || !follower_->caught_up() || now - last_ship_ >= options_.interval) ship_pending();
    } while (!follower_->caught_up() && unshipped_.empty() && !wal_past_brake());
}

bool Replication::wal_past_brake() const {
    // Half the limit: what SONIA appends before the barrier is up (one more read, the barrier's wait) stays under it.
    const std::uint64_t brake_at = options_.max_wal_bytes / 2;
    const std::uint64_t file = follower_->wal_bytes();
    return (follower_->position().offset >= brake_at && frames_since_checkpoint() > 0) ||
           (file >= brake_at && file > wal_bytes_after_brake_);
}

bool Replication::drain_to_end() {
    do {
        if (!follower_->read(*options_.clock)) return false;
        if (!follower_->caught_up()) ship_pending();  // a backlog ships as it is read: memory stays flat
    } while (!follower_->caught_up());
    return true;
}

std::uint64_t Replication::frames_since_checkpoint() const {
    const WalPosition& at = follower_->position();
    if (!replica::has_log(at)) return 0;
    const std::uint64_t frame = wal_frame_header_bytes + at.header.page_size;
    const bool same_log = replica::has_log(checkpoint_attempt_) && checkpoint_attempt_.header.salt1 == at.header.salt1 &&
                          checkpoint_attempt_.header.salt2 == at.header.salt2;
    const std::uint64_t from = same_log ? checkpoint_attempt_.offset : wal_header_bytes;
    return at.offset > from ? (at.offset - from) / frame : 0;
}

void Replication::checkpoint_if_due() {
    if (!unshipped_.empty()) return;  // never fold into the database what is not shipped yet
    const TimePoint now = options_.clock->now();
    const bool brake = wal_past_brake();
    const std::uint64_t frames = frames_since_checkpoint();
    const bool due = frames >= options_.checkpoint_pages || (frames > 0 && now - last_checkpoint_at_ >= checkpoint_at_least_every);
    if (!brake && !due) return;
    // Behind the barrier the follower reads to the log's end: a complete checkpoint then covers only frames
    // already read, and SONIA's next commit may restart the log. At the brake this makes SONIA wait while a
    // backlog ships, which bounds the WAL without breaking the lineage.
    bool continuous = true;
    // At the brake the barrier waits as long as any lock does: the WAL must stop growing.
    const Duration wait = brake ? std::max(options_.barrier_wait, options_.busy_timeout) : options_.barrier_wait;
    const auto report = hold_->checkpoint(CheckpointKind::passive, wait, [&] { continuous = drain_to_end(); });
    if (!report) {
        ++result_.barrier_skips;
        return;
    }
    last_checkpoint_at_ = now;
    checkpoint_attempt_ = follower_->position();
    ++result_.checkpoints;
    if (report->complete()) ++result_.complete_checkpoints;
    if (!continuous) {
        const std::string reason = follower_->broken_reason();
        ship_pending();
        start_lineage(reason);
        return;
    }
    if (report->complete()) follower_->allow_restart();
    ship_pending();
    if (!brake) return;
    if (report->complete()) {
        ++result_.brakes;
        wal_bytes_after_brake_ = follower_->wal_bytes();
        return;
    }
    truncate_wal();
}

void Replication::truncate_wal() {
    // A reader of SONIA's kept the checkpoint from completing: TRUNCATE waits for it (holding SONIA's writers for
    // up to --busy-timeout) and empties the WAL. It is tried again only after as long again, so a reader that never
    // ends stalls writers at most half the time.
    const TimePoint now = options_.clock->now();
    if (now < next_truncate_at_) return;
    const auto report = hold_->checkpoint(CheckpointKind::truncate, options_.barrier_wait,
                                          [&] { static_cast<void>(drain_to_end()); });
    ++result_.checkpoints;
    if (!report || report->busy) {
        next_truncate_at_ = options_.clock->now() + std::max(options_.busy_timeout, Duration(std::chrono::seconds(1)));
        ship_pending();
        return;
    }
    // What SONIA committed between the barrier and the TRUNCATE was emptied unread: a new lineage starts.
    ++result_.truncations;
    ship_pending();
    wal_bytes_after_brake_ = 0;
    start_lineage(fmt::format("the WAL reached {} bytes (--max-wal-mib) and a reader kept checkpoints from "
                              "completing: emptied by a TRUNCATE checkpoint",
                              follower_->wal_bytes()));
}

void Replication::rebase_if_due() {
    const TimePoint now = options_.clock->now();
    if (now - last_record_check_ >= heartbeat_every) {
        last_record_check_ = now;
        if (!repo_.storage().stat(replica::lineage_key(lineage_.id))) {
            // Nothing more goes into the removed lineage: the new base holds what is still unshipped.
            const std::string removed = std::exchange(lineage_.id, {});
            start_lineage(fmt::format("lineage {} was removed from the repository (prune)", removed));
            return;
        }
    }
    if (now - lineage_started_ < options_.snapshot_interval) return;
    ship_pending();
    if (!unshipped_.empty()) return;
    start_lineage(fmt::format("lineage {} is {} old (--snapshot-interval): a new base keeps replay short", lineage_.id,
                              format_duration(options_.snapshot_interval)));
}

std::size_t Replication::unshipped() const { return unshipped_.size() + follower_->pending_count(); }

void Replication::write_heartbeat(Heartbeat when) {
    const TimePoint now = options_.clock->now();
    if (when == Heartbeat::when_due && now - last_heartbeat_ < heartbeat_every) return;
    last_heartbeat_ = now;
    // Read and waiting for the next interval counts too: the lag is from the oldest commit not yet shipped.
    std::optional<TimePoint> oldest = follower_->oldest_pending();
    if (!unshipped_.empty()) oldest = unshipped_.front().committed_at;
    Json beat = {{"format", 1},
                 {"lineage_id", lineage_.id},
                 {"database", source_},
                 {"updated_at", format_iso8601(now)},
                 {"running", when != Heartbeat::stopping},
                 {"wal_bytes", follower_->wal_bytes()},
                 {"unshipped_transactions", unshipped()},
                 {"oldest_unshipped_at", oldest ? Json(format_iso8601(*oldest)) : Json(nullptr)},
                 {"last_commit_at", result_.last_commit ? Json(format_iso8601(*result_.last_commit)) : Json(nullptr)},
                 {"last_ship_error", result_.last_ship_error ? Json(*result_.last_ship_error) : Json(nullptr)}};
    try {
        repo_.storage().write_all(replica::heartbeat_key(lineage_.id), beat.dump(2) + "\n", storage::Overwrite::replace);
    } catch (const Error& e) {
        if (e.category() != ErrorCategory::runtime) throw;  // status will see an old heartbeat: lag shows
    }
}

}  // namespace soniabk
