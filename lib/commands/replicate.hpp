// `replicate`: follows one live database's WAL and ships every committed transaction to the repository as
// segments, about once a second, so a restore can reach any moment (restore --at). It is the database's
// checkpointer while it runs; any doubt about the WAL's continuity starts a new lineage from a fresh base.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/trace.hpp"
#include "codec/encode.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

struct ReplicateOptions {
    fs::path repo;
    fs::path db;
    Duration interval = std::chrono::seconds(1);         // how often read transactions are shipped
    Duration read_every = std::chrono::milliseconds(100);  // how often the WAL is read: commit times' precision
    std::uint64_t checkpoint_pages = 1000;               // a PASSIVE checkpoint once the WAL holds this many frames
    std::uint64_t max_wal_bytes = std::uint64_t{256} << 20;  // past it, a TRUNCATE checkpoint and a new lineage
    Duration snapshot_interval = std::chrono::hours(24);  // a new base this often: replay time stays bounded
    Duration barrier_wait = std::chrono::milliseconds(200);  // the longest the write barrier waits for a writer
    Duration busy_timeout = std::chrono::seconds(10);
    std::optional<Duration> run_for;  // stop after this long (else at SIGTERM / Ctrl-C)
    CodecOptions codec;               // encryption of the bases and segments (as the repository's backups)
    const Clock* clock = &system_clock();
    Trace* trace = &no_trace();
};

struct ReplicateResult {
    fs::path repo;
    fs::path db;
    std::vector<std::string> lineages;      // every lineage this run wrote to, the first maybe resumed
    std::vector<std::string> new_lineage_reasons;
    bool resumed = false;
    std::uint64_t segments = 0;
    std::uint64_t transactions = 0;
    std::uint64_t stored_bytes = 0;
    std::uint64_t checkpoints = 0;          // PASSIVE checkpoints run behind the barrier
    std::uint64_t complete_checkpoints = 0;
    std::uint64_t barrier_skips = 0;        // a writer held its lock past --barrier-wait
    std::uint64_t brakes = 0;
    std::uint64_t truncations = 0;
    std::uint64_t max_wal_bytes_seen = 0;
    std::uint64_t ship_failures = 0;        // shipments the repository refused; retried the next interval
    std::optional<std::string> last_ship_error;
    std::optional<TimePoint> last_commit;   // the last transaction shipped
    std::string stopped_by;                 // "SIGTERM", "SIGINT" or "duration"
    double duration_seconds = 0;

    Json to_json() const;
};

ReplicateResult replicate_database(const ReplicateOptions& options);

}  // namespace soniabk
