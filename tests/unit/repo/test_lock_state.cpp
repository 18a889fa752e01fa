// The repository lock's holder line (pid, host, user, activity) read back, and when a holder counts as gone.
#include "platform/processes.hpp"
#include "repo/lock_state.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

// A pid no process has: above Linux's pid_max limit and Windows' usual range.
constexpr int dead_pid = 2'000'000'000;

LockState state_of(const std::string& line, std::optional<TimePoint> expires = {}) {
    return {"repo/.lock", parse_lock_holder(line), expires, false, {}};
}

}  // namespace

TEST_CASE("lock_state: the holder line names pid, host, user and activity, and reads back") {
    const LockHolder mine = parse_lock_holder(lock_holder_line("backup db"));
    CHECK(mine.pid == platform::current_process_id());
    CHECK(mine.host == platform::host_name());
    CHECK(mine.user == platform::user_name());
    CHECK(mine.activity == "backup db");
    const LockHolder spaced = parse_lock_holder("soniabk pid 42 on nas by John Smith (prune)");
    CHECK(spaced.user == "John Smith");
    CHECK(spaced.activity == "prune");
    const LockHolder old = parse_lock_holder("soniabk pid 7 (backup db)");  // written before host and user were
    CHECK(old.pid == 7);
    CHECK(old.host.empty());
    CHECK(old.activity == "backup db");
    const LockHolder other = parse_lock_holder("something else");
    CHECK_FALSE(other.pid);
    CHECK(other.text == "something else");
}

TEST_CASE("lock_state: stale when expired, or when its pid no longer runs on this host") {
    const TimePoint now = parse_iso8601("2026-12-01T02:00:00Z").value();
    const std::string host = platform::host_name();
    LockState expired = state_of("soniabk pid 1 on elsewhere by a (backup db)", now - 1s);
    judge_staleness(expired, now);
    CHECK(expired.stale);
    CHECK(expired.stale_reason == "expired at 2026-12-01T01:59:59.000Z");
    LockState dead_here = state_of(fmt::format("soniabk pid {} on {} by a (prune)", dead_pid, host), now + 60s);
    judge_staleness(dead_here, now);
    CHECK(dead_here.stale);
    CHECK(dead_here.stale_reason == fmt::format("pid {} no longer runs on {}", dead_pid, host));
    LockState dead_elsewhere = state_of(fmt::format("soniabk pid {} on not-{} by a (prune)", dead_pid, host), now + 60s);
    judge_staleness(dead_elsewhere, now);
    CHECK_FALSE(dead_elsewhere.stale);  // another machine's pids say nothing here
    LockState alive = state_of(lock_holder_line("backup db"), now + 60s);
    judge_staleness(alive, now);
    CHECK_FALSE(alive.stale);
    CHECK(alive.to_json()["stale_reason"].is_null());
}

TEST_CASE("lock_state: a directory's lock is held only while its process holds the file lock") {
    test::TempDir dir;
    test::init_repo(dir / "repo");
    const Repository repo = Repository::open(dir / "repo");
    const TimePoint now = system_clock().now();
    CHECK_FALSE(held_lock(repo, now));
    {
        const RepositoryLock held = repo.lock_for_writing("backup db", 1s);
        const auto lock = held_lock(repo, now);  // a second open conflicts with flock even in this process
        REQUIRE(lock);
        CHECK(lock->holder.pid == platform::current_process_id());
        CHECK(lock->holder.activity == "backup db");
        CHECK_FALSE(lock->expires);
        CHECK_FALSE(lock->stale);
    }
    CHECK(std::filesystem::exists(dir / "repo" / ".lock"));  // the file stays, but it is no lock
    CHECK_FALSE(held_lock(repo, now));
    CHECK(test::read_text(dir / "repo" / ".lock").starts_with("soniabk pid "));  // the probe left its text alone
}
