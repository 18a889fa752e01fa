#include "commands/replicate.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "commands/replication.hpp"
#include "platform/locks.hpp"
#include "platform/processes.hpp"
#include "repo/repository.hpp"
#include "sqlite/sqlite.hpp"
#include "repo/journaled.hpp"

#include <fmt/format.h>

#include <thread>

namespace soniabk {

namespace {

// One replicate per database: two would both checkpoint and ship the same frames into different lineages.
platform::FileLock lock_for_replication(const fs::path& db) {
    const fs::path absolute = fs::absolute(db);
    const fs::path path = absolute.parent_path() / fmt::format(".{}.replicate.lock", absolute.filename().string());
    auto lock = platform::FileLock::try_acquire(path, platform::LockMode::exclusive);
    if (!lock) {
        throw runtime_error(ErrorCode::locked,
                            fmt::format("{}: another soniabk replicate of {} is running", path.string(), db.string()),
                            path);
    }
    lock->describe_holder(fmt::format("soniabk pid {} (replicate)\n", platform::current_process_id()));
    return std::move(*lock);
}

std::string stop_request(const ReplicateOptions& options, std::chrono::steady_clock::time_point started) {
    if (const interrupt::Request r = interrupt::take(); r != interrupt::Request::none) {
        return std::string(interrupt::signal_name(r));
    }
    if (options.run_for && std::chrono::steady_clock::now() - started >= *options.run_for) return "duration";
    return {};
}

void run_replication(const ReplicateOptions& options, const Repository& repo, ReplicateResult& result,
                     std::chrono::steady_clock::time_point started) {
    // 1. One follower per database; the key settled before anything is written.
    const platform::FileLock lock = lock_for_replication(options.db);
    const Encoding encoding = Encoding::resolve(options.codec);
    repo.require_accepts(encoding);
    const std::optional<pages::PageStoreKeys> keys = pages::page_keys_for_writing(repo.storage(), encoding);
    Replication replication(options, repo, keys ? &*keys : nullptr, result);
    // 2. Continue the lineage a kill or restart left, or start one from a fresh base.
    replication.open();
    replication.write_heartbeat(Replication::Heartbeat::now);
    // 3. Read the WAL every read_every, ship every interval, checkpoint behind the barrier, rebase on schedule.
    while ((result.stopped_by = stop_request(options, started)).empty()) {
        std::this_thread::sleep_for(options.read_every);
        replication.poll(Replication::Ship::when_due);
        replication.checkpoint_if_due();
        replication.rebase_if_due();
        replication.write_heartbeat(Replication::Heartbeat::when_due);
    }
    // 4. Asked to stop: ship everything committed, so the saved position is the WAL's end.
    replication.poll(Replication::Ship::now);
    replication.write_heartbeat(Replication::Heartbeat::stopping);
    if (const std::size_t left = replication.unshipped(); left > 0) {
        throw runtime_error(ErrorCode::interrupted,
                            fmt::format("stopped with {} transactions not shipped (the repository out of reach, or a "
                                        "second signal); they stay in the WAL and the next run ships them",
                                        left));
    }
}

}  // namespace

Json ReplicateResult::to_json() const {
    return Json{{"ok", true},
                {"repo", repo.string()},
                {"db", db.string()},
                {"lineages", lineages},
                {"resumed", resumed},
                {"new_lineage_reasons", new_lineage_reasons},
                {"segments", segments},
                {"transactions", transactions},
                {"stored_bytes", stored_bytes},
                {"checkpoints", checkpoints},
                {"complete_checkpoints", complete_checkpoints},
                {"barrier_skips", barrier_skips},
                {"brakes", brakes},
                {"truncations", truncations},
                {"max_wal_bytes", max_wal_bytes_seen},
                {"ship_failures", ship_failures},
                {"last_ship_error", last_ship_error ? Json(*last_ship_error) : Json(nullptr)},
                {"last_commit_at", last_commit ? Json(format_iso8601(*last_commit)) : Json(nullptr)},
                {"stopped_by", stopped_by},
                {"duration_seconds", duration_seconds}};
}

ReplicateResult replicate_database(const ReplicateOptions& options) {
    for (const auto& [name, value] : {std::pair{"--interval", options.interval}, std::pair{"--read-every", options.read_every},
                                      std::pair{"--snapshot-interval", options.snapshot_interval}}) {
        if (value <= Duration::zero()) throw usage_error(fmt::format("{} must be longer than 0", name));
    }
    if (options.checkpoint_pages == 0) throw usage_error("--checkpoint-pages must be at least 1");
    if (options.max_wal_bytes == 0) throw usage_error("--max-wal-mib must be at least 1");
    ReplicateResult result;
    result.repo = options.repo;
    result.db = options.db;
    const auto started = std::chrono::steady_clock::now();
    require_sqlite_file(options.db);
    const Repository repo = Repository::open_for_writing(options.repo, *options.clock);
    return run_journaled(
        repo.storage(), "replicate", *options.clock,
        [&] {
            run_replication(options, repo, result, started);
            result.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        },
        [](const ReplicateResult& r) {
            return Json{{"db", r.db.string()},          {"lineages", r.lineages},
                        {"transactions", r.transactions}, {"segments", r.segments},
                        {"stopped_by", r.stopped_by}};
        });
}

}  // namespace soniabk
