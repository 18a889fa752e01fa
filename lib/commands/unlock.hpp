// `unlock`: removing a repository lock whose holder is gone (or, forced, any lock).
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "repo/lock_state.hpp"

#include <filesystem>
#include <optional>

namespace soniabk {

// Whether a lock whose holder still looks alive is removed too.
enum class UnlockScope { stale_only, any_lock };

struct UnlockOptions {
    std::filesystem::path repo;
    UnlockScope scope = UnlockScope::stale_only;
    const Clock* clock = &system_clock();
};

struct UnlockResult {
    std::filesystem::path repo;
    std::optional<LockState> lock;  // the lock found; none when the repository was not locked
    bool removed = false;

    Json to_json() const;
};

// Removes a stale lock; a live one is the error `locked` (exit 3) naming its holder, unless
// UnlockScope::any_lock. A repository no one locks is not an error: nothing is removed.
UnlockResult unlock_repository(const UnlockOptions& options);

}  // namespace soniabk
