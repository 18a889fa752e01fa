#include "commands/unlock.hpp"

#include "base/error.hpp"
#include "repo/journaled.hpp"
#include "repo/location.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

namespace soniabk {

Json UnlockResult::to_json() const {
    return {{"ok", true}, {"repo", repo.string()}, {"lock", lock ? lock->to_json() : Json(nullptr)}, {"removed", removed}};
}

namespace {

void remove_lock(const UnlockOptions& options, const Repository& repo, UnlockResult& result) {
    const LockState& lock = *result.lock;
    // A directory's lock is its holder's file lock, gone when it exits: removing the file would let a second writer in.
    if (!is_bucket_location(options.repo)) {
        throw runtime_error(ErrorCode::locked,
                            fmt::format("{}: locked by {}, a file lock its holder keeps while it runs and the system "
                                        "releases when it exits: wait for it, or stop that process",
                                        lock.path.string(), lock.holder.text),
                            lock.path);
    }
    if (!lock.stale && options.scope == UnlockScope::stale_only) {
        throw runtime_error(ErrorCode::locked,
                            fmt::format("{}: locked by {}{}, which still runs: 'soniabk unlock --force' removes the "
                                        "lock only once you know it has stopped",
                                        lock.path.string(), lock.holder.text,
                                        lock.expires ? " until " + format_iso8601(*lock.expires) : std::string()),
                            lock.path);
    }
    repo.storage().remove(lock_key);
    result.removed = true;
}

}  // namespace

UnlockResult unlock_repository(const UnlockOptions& options) {
    const Repository repo = Repository::open(options.repo);
    UnlockResult result;
    result.repo = options.repo;
    result.lock = held_lock(repo, options.clock->now());
    if (!result.lock) return result;  // nothing held, nothing changed: no journal line
    // Taking a lock from its holder overrides a writer: the journal keeps whose it was, and whether it went.
    return run_journaled(
        repo.storage(), "unlock", *options.clock,
        [&] {
            remove_lock(options, repo, result);
            return result;
        },
        [](const UnlockResult& r) {
            return Json{{"holder", r.lock->holder.text}, {"stale", r.lock->stale}, {"removed", r.removed}};
        });
}

}  // namespace soniabk
