// soniabk-test-checkpointer: checkpoints a WAL database in a loop from its own process, for stress tests.
// Runs `PRAGMA wal_checkpoint(MODE)` back to back for SECONDS, then prints "COMPLETED TRIED": how many
// checkpoints finished the whole WAL and how many ran. Exits 1 on any SQLite error other than busy.
#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: soniabk-test-checkpointer DB PASSIVE|FULL|RESTART|TRUNCATE SECONDS\n");
        return 2;
    }
    using soniabk::Database;
    const std::string sql = std::string("PRAGMA wal_checkpoint(") + argv[2] + ")";
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(std::atol(argv[3]));
    try {
        Database db = Database::open(argv[1], Database::Mode::read_write, std::chrono::milliseconds(200));
        long completed = 0;
        long tried = 0;
        while (std::chrono::steady_clock::now() < end) {
            try {
                soniabk::Statement stmt = db.prepare(sql);
                ++tried;
                // Row: busy (1 when it could not finish), WAL frames, frames checkpointed.
                if (stmt.step() && stmt.column_int(0) == 0 && stmt.column_int(1) == stmt.column_int(2)) ++completed;
            } catch (const soniabk::Error& e) {
                if (e.code() != "locked") throw;  // busy is expected under contention; anything else is not
            }
        }
        std::printf("%ld %ld\n", completed, tried);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soniabk-test-checkpointer: %s\n", e.what());
        return 1;
    }
}
