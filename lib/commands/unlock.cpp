#include "commands/unlock.hpp"

#include "base/error.hpp"
#include "repo/location.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

namespace soniabk {

Json UnlockResult::to_json() const {
    return {{"ok", true}, {"repo", repo.string()}, {"lock", lock ? lock->to_json() : Json(nullptr)}, {"removed", removed}};
}

UnlockResult unlock_repository(const UnlockOptions& options) {
    const Repository repo = Repository::open(options.repo);
    UnlockResult result;
    result.repo = options.repo;
    result.lock = held_lock(repo, options.clock->now());
    if (!result.lock) return result;
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
    return result;
}

}  // namespace soniabk
