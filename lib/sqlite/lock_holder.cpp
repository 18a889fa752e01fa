#include "sqlite/lock_holder.hpp"

#include "platform/locks.hpp"
#include "platform/processes.hpp"

#include <cstdint>

namespace soniabk {

namespace {

// SQLite's locks, the same bytes in its unix and Windows VFS: the database's pending/reserved/shared bytes
// start at 1 GiB; the wal-index (-shm) has eight WAL locks from byte 120 and the "dead man switch" byte 128
// every open WAL connection holds.
constexpr std::uint64_t db_lock_start = 0x40000000;
constexpr std::uint64_t db_lock_length = 512;
constexpr std::uint64_t shm_lock_start = 120;
constexpr std::uint64_t shm_lock_length = 9;

}  // namespace

std::optional<std::string> sqlite_lock_holder(const std::filesystem::path& db) {
    auto holder = platform::range_lock_holder(db, db_lock_start, db_lock_length);
    if (!holder) holder = platform::range_lock_holder(db.string() + "-shm", shm_lock_start, shm_lock_length);
    if (!holder) return std::nullopt;
    if (holder->pid) return "pid " + std::to_string(*holder->pid);
    // Windows names no lock's owner: the processes with the file open are the next best answer.
    return platform::process_holding_open(db).value_or("another process");
}

}  // namespace soniabk
