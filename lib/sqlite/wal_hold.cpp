#include "sqlite/wal_hold.hpp"

#include "base/error.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace soniabk {

namespace {

Database open_quiet(const std::filesystem::path& database, Duration busy_timeout) {
    Database db = Database::open(database, Database::Mode::read_write, busy_timeout);
    // Closing must never checkpoint or delete the WAL: frames may still be waiting to ship.
    sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    db.exec("PRAGMA wal_autocheckpoint=0");
    return db;
}

// SQLite's own busy handler sleeps up to 100 ms between tries, so a writer committing back to back takes the
// lock again every time; trying every millisecond finds the moments between its transactions.
int retry_until(void* deadline, int) {
    if (std::chrono::steady_clock::now() >= *static_cast<const std::chrono::steady_clock::time_point*>(deadline)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

}  // namespace

WalHold::WalHold(const std::filesystem::path& database, Duration busy_timeout)
    : reader_(open_quiet(database, busy_timeout)), barrier_(open_quiet(database, busy_timeout)) {
    if (reader_.query_text("PRAGMA journal_mode").value_or("") != "wal") {
        throw runtime_error(ErrorCode::not_wal,
                            database.string() + ": not in WAL mode; replicate follows a WAL database "
                                                "(PRAGMA journal_mode=WAL)",
                            database);
    }
    begin_read();
}

void WalHold::begin_read() {
    reader_.exec("BEGIN");
    reader_.query_int("SELECT count(*) FROM sqlite_schema");  // the read lock is taken at the first read
}

CheckpointReport WalHold::run_checkpoint(CheckpointKind kind) {
    int log = 0;
    int done = 0;
    const int mode = kind == CheckpointKind::truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE;
    const int rc = sqlite3_wal_checkpoint_v2(reader_.handle(), nullptr, mode, &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) reader_.fail(rc, "checkpoint");
    return CheckpointReport{rc == SQLITE_BUSY, log, done};
}

std::optional<CheckpointReport> WalHold::checkpoint(CheckpointKind kind, Duration barrier_wait,
                                                    const std::function<void()>& drain) {
    auto deadline = std::chrono::steady_clock::now() + barrier_wait;
    sqlite3_busy_handler(barrier_.handle(), retry_until, &deadline);
    const int rc = sqlite3_exec(barrier_.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_handler(barrier_.handle(), nullptr, nullptr);
    if (rc == SQLITE_BUSY) return std::nullopt;
    if (rc != SQLITE_OK) barrier_.fail(rc, "BEGIN IMMEDIATE");
    CheckpointReport report;
    try {
        reader_.exec("COMMIT");
        drain();
        if (kind == CheckpointKind::passive) report = run_checkpoint(kind);
        if (kind == CheckpointKind::passive) begin_read();
        barrier_.exec("ROLLBACK");
    } catch (...) {
        sqlite3_exec(barrier_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    if (kind == CheckpointKind::truncate) {
        report = run_checkpoint(kind);
        begin_read();
    }
    return report;
}

}  // namespace soniabk
