// replicate's state between polls: the hold on the database, the WAL follower, the lineage being written and
// the shipping of segments into it. commands/replicate.cpp drives it.
#pragma once

#include "commands/replicate.hpp"
#include "pages/page_keys.hpp"
#include "replica/lineage.hpp"
#include "replica/wal_follower.hpp"
#include "repo/repository.hpp"
#include "sqlite/wal_hold.hpp"

#include <optional>
#include <span>
#include <vector>

namespace soniabk {

class Replication {
public:
    Replication(const ReplicateOptions& options, const Repository& repo, const pages::PageStoreKeys* keys,
                ReplicateResult& result);

    // Continues the newest lineage of this database when the WAL still continues its last segment, else starts one.
    void open();
    // Reads the WAL; ships what is read once `interval` has passed since the last shipment (or at once with
    // Ship::now); a break in continuity ships what came before it and starts a new lineage.
    enum class Ship { when_due, now };
    void poll(Ship ship);
    // PASSIVE behind the barrier once the WAL holds checkpoint_pages frames, or at the brake near max_wal_bytes
    // (SONIA waits while the backlog ships); TRUNCATE and a new lineage only when that cannot complete.
    void checkpoint_if_due();
    // A new base when the lineage is older than snapshot_interval.
    void rebase_if_due();
    // `replica/<lineage>/heartbeat.json`, every few seconds: what status reads for the lag and the WAL's size.
    enum class Heartbeat { when_due, now, stopping };
    void write_heartbeat(Heartbeat when);
    // Transactions read but not yet in the repository.
    std::size_t unshipped() const;

private:
    void start_lineage(const std::string& reason);
    bool resume();
    void ship_pending();
    void ship_unshipped();
    void ship_segment(std::span<const replica::SegmentTransaction> transactions, const WalPosition& end);
    std::uint64_t frames_since_checkpoint() const;
    bool wal_past_brake() const;
    // Reads (and ships a backlog) until the follower reaches the log's end; false when continuity is lost.
    bool drain_to_end();
    void truncate_wal();

    const ReplicateOptions& options_;
    const Repository& repo_;
    const pages::PageStoreKeys* keys_;
    ReplicateResult& result_;
    std::string source_;  // the database's absolute path, as lineages record it
    std::optional<WalHold> hold_;
    std::optional<replica::WalFollower> follower_;
    replica::LineageRecord lineage_;
    std::uint32_t page_size_ = 0;
    std::uint64_t next_sequence_ = 0;
    WalPosition shipped_end_;
    TimePoint lineage_started_{};
    TimePoint last_ship_{};
    TimePoint last_heartbeat_{};
    TimePoint last_checkpoint_at_{};
    TimePoint last_record_check_{};
    WalPosition checkpoint_attempt_;  // where the last checkpoint found the log
    std::uint64_t wal_bytes_after_brake_ = 0;
    TimePoint next_truncate_at_{};  // after a TRUNCATE a reader kept busy  // the file's size after the last brake: past it, the log grows again
    std::vector<replica::SegmentTransaction> unshipped_;  // read, and waiting for the repository
};

}  // namespace soniabk
