// soniabk-test-writer: a real concurrent writer for hot-backup tests.
// Commits transaction after transaction; transaction N inserts three `ledger` rows (seq N, part 0..2)
// and sets `counter.seq` to N, so a consistent snapshot holds exactly seq 1..K with three rows each.
// After each commit it rewrites PROGRESS with N, so tests know what was committed before a backup began.
#include "sqlite/sqlite.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: soniabk-test-writer DB PROGRESS MAX_TXNS [AUTOCHECKPOINT_PAGES]\n");
        return 2;
    }
    using soniabk::Database;
    const std::filesystem::path progress = argv[2];
    const std::int64_t max_txns = std::atoll(argv[3]);
    Database db = Database::open(argv[1], Database::Mode::create, std::chrono::seconds(30));
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
    if (argc > 4) db.exec(std::string("PRAGMA wal_autocheckpoint=") + argv[4]);
    db.exec("CREATE TABLE IF NOT EXISTS ledger(seq INTEGER NOT NULL, part INTEGER NOT NULL, payload BLOB)");
    db.exec("CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)");
    db.exec("INSERT OR IGNORE INTO counter VALUES (1, 0)");
    for (std::int64_t seq = db.query_int("SELECT seq FROM counter").value_or(0) + 1; seq <= max_txns; ++seq) {
        db.exec("BEGIN IMMEDIATE");
        for (int part = 0; part < 3; ++part) {
            soniabk::Statement row = db.prepare("INSERT INTO ledger VALUES (?1, ?2, randomblob(600))");
            row.bind(1, std::int64_t{seq}).bind(2, std::int64_t{part});
            row.step();
        }
        soniabk::Statement set = db.prepare("UPDATE counter SET seq = ?1 WHERE id = 1");
        set.bind(1, std::int64_t{seq});
        set.step();
        db.exec("COMMIT");
        const std::filesystem::path tmp = progress.string() + ".tmp";
        std::ofstream(tmp, std::ios::trunc) << seq << '\n';
        // A test reading the progress file at that instant (on Windows, open without delete sharing) makes the
        // rename fail for a moment: try again rather than die.
        std::error_code ec;
        for (int attempt = 0; attempt < 1000; ++attempt) {
            std::filesystem::rename(tmp, progress, ec);
            if (!ec) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    return 0;
}
