// replicate's hold on a live WAL database: one connection keeps a read transaction open so SQLite cannot
// reuse WAL frames not yet shipped, a second takes the short write barrier behind which replicate
// checkpoints, so that a complete checkpoint means every frame it copied had been read first.
#pragma once

#include "base/clock.hpp"
#include "sqlite/sqlite.hpp"

#include <filesystem>
#include <functional>
#include <optional>

namespace soniabk {

struct CheckpointReport {
    bool busy = false;            // SQLite could not finish (a reader or writer in the way)
    std::int64_t log_frames = 0;  // frames in the WAL
    std::int64_t checkpointed_frames = 0;
    bool complete() const { return !busy && log_frames == checkpointed_frames; }
};

enum class CheckpointKind {
    passive,   // copies what no reader still needs; never waits, never blocks a writer
    truncate,  // the emergency brake: waits for readers, then empties the WAL
};

class WalHold {
public:
    // Opens `database` twice (autocheckpoint off, no checkpoint on close) and begins the read transaction.
    WalHold(const std::filesystem::path& database, Duration busy_timeout);

    // Behind the write barrier (taken within `barrier_wait`, else nothing happens and this returns none):
    // ends the read transaction, calls `drain` (no writer can append while it runs), checkpoints, begins a new
    // read transaction. A truncate checkpoint needs the write lock itself, so it runs after the barrier lifts.
    std::optional<CheckpointReport> checkpoint(CheckpointKind kind, Duration barrier_wait,
                                               const std::function<void()>& drain);

    const std::filesystem::path& database() const { return reader_.path(); }

private:
    void begin_read();
    CheckpointReport run_checkpoint(CheckpointKind kind);

    Database reader_;
    Database barrier_;
};

}  // namespace soniabk
