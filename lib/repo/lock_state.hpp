// Who holds a repository's lock: the holder line a writer puts in the lock, and whether that holder is gone.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

class Repository;

// "soniabk pid 4242 on nas by alice (backup db)" read back; older holders wrote only pid and activity.
struct LockHolder {
    std::string text;  // the whole line, as written
    std::optional<int> pid;
    std::string host;
    std::string user;
    std::string activity;
};

// This process's holder line for `activity`.
std::string lock_holder_line(std::string_view activity);
LockHolder parse_lock_holder(std::string_view line);

struct LockState {
    std::filesystem::path path;  // the lock object
    LockHolder holder;
    std::optional<TimePoint> expires;  // object storage: when the lock lapses unless its holder refreshes it
    bool stale = false;                // expired, or its holder's pid no longer runs on this host
    std::string stale_reason;

    Json to_json() const;
};

// Whether `holder` with lock expiry `expires` is gone at `now`, and why.
void judge_staleness(LockState& state, TimePoint now);

// The repository's lock when a process holds it, or when a lock object outlived its holder; nothing when
// it is free. A directory's lock is an OS file lock that dies with its process: the file it leaves is no lock.
std::optional<LockState> held_lock(const Repository& repo, TimePoint now);

}  // namespace soniabk
