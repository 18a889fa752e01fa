// Follows a live database's WAL from a position: each read takes the transactions committed since, stamped with
// the time that read ended (so no stamp is earlier than its commit), and checks that the log still continues what was read before. A log
// restarted by a checkpoint replicate did not complete, one that vanished, shrank or changed salts otherwise,
// breaks continuity: the caller then starts a new lineage rather than leave a silent gap.
#pragma once

#include "io/byte_source.hpp"
#include "replica/segment.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk::replica {

// A transaction larger than this cannot ship in a segment; a fresh base is taken instead.
inline constexpr std::size_t max_transaction_bytes = std::size_t{48} << 20;

// No log yet: the WAL file was empty when the position was taken.
bool has_log(const WalPosition& position);
WalPosition no_log();
// Where the committed frames of `wal` end now (no_log without a valid log).
WalPosition committed_end(const std::filesystem::path& wal);

class WalFollower {
public:
    // `wal` is the database's `-wal` file; `restart_ok`: a restart of the log right at `from` continues it.
    WalFollower(std::filesystem::path wal, WalPosition from, bool restart_ok);

    // Reads what was committed since the last read; false (with broken_reason()) when continuity is lost.
    // A backlog is read about segment_target_bytes at a time: caught_up() says whether the log's end was reached.
    bool read(const Clock& clock);
    bool caught_up() const { return caught_up_; }
    // The transactions read and not yet taken, oldest first.
    std::vector<SegmentTransaction> take();
    std::size_t pending_bytes() const { return pending_bytes_; }
    std::size_t pending_count() const { return pending_.size(); }
    std::optional<TimePoint> oldest_pending() const {
        return pending_.empty() ? std::nullopt : std::optional<TimePoint>(pending_.front().committed_at);
    }
    // Where the transactions taken so far (or pending) end.
    const WalPosition& position() const { return position_; }
    // After a complete checkpoint behind the write barrier: SQLite may now restart the log from here.
    void allow_restart() { restart_ok_ = true; }
    std::uint64_t wal_bytes() const { return wal_bytes_; }
    std::uint64_t log_frames() const;
    const std::string& broken_reason() const { return broken_; }

private:
    bool broken(std::string why);
    bool continue_from(const WalPosition& from, FileSource& source, const Clock& clock);

    std::filesystem::path wal_;
    WalPosition position_;
    bool restart_ok_;
    std::vector<SegmentTransaction> pending_;
    std::size_t pending_bytes_ = 0;
    std::uint64_t wal_bytes_ = 0;
    std::string broken_;
    bool caught_up_ = true;
};

}  // namespace soniabk::replica
