// soniabk-test-db-holder DB READYFILE: holds a SQLite connection to DB open the way an idle service does
// (after a first read, so a WAL database's -shm is mapped and locked), writes READYFILE, waits to be killed.
#include "sqlite/sqlite.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: soniabk-test-db-holder DB READYFILE\n");
        return 2;
    }
    soniabk::Database db = soniabk::Database::open(argv[1], soniabk::Database::Mode::read_write);
    db.query_int("SELECT count(*) FROM sqlite_master");
    std::ofstream(argv[2]) << "ready\n";
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}
