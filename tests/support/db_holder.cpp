// soniabk-test-db-holder DB READYFILE [--exclusive]: holds a SQLite connection to DB open the way an idle service
// does (after a first read, so a WAL database's -shm is mapped and locked), writes READYFILE, waits to be killed.
// --exclusive: it holds SQLite's exclusive lock instead, as a writer mid-transaction does, keeping readers out.
#include "sqlite/sqlite.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
    const bool exclusive = argc == 4 && std::string(argv[3]) == "--exclusive";
    if (argc != 3 && !exclusive) {
        std::fprintf(stderr, "usage: soniabk-test-db-holder DB READYFILE [--exclusive]\n");
        return 2;
    }
    soniabk::Database db = soniabk::Database::open(argv[1], soniabk::Database::Mode::read_write);
    if (exclusive) db.exec("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE");
    db.query_int("SELECT count(*) FROM sqlite_master");
    std::ofstream(argv[2]) << "ready\n";
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}
