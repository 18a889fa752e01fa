#include "platform/processes.hpp"
#include "sqlite/lock_holder.hpp"
#include "sample_db.hpp"
#include "services.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;

TEST_CASE("sqlite: another process's SQLite connection is visible to sqlite_lock_holder and process_holding_open") {
    test::TempDir dir;
    const auto db = dir / "memory.db";
    SECTION("an idle WAL connection holds the wal-index lock") {
        test::create_sample_db(db, {.memories = 3, .wal = true});
        CHECK_FALSE(sqlite_lock_holder(db));
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK(sqlite_lock_holder(db) == "pid " + std::to_string(holder.pid()));
        CHECK(platform::process_holding_open(db) == "pid " + std::to_string(holder.pid()));
        holder.kill(SIGKILL);
        holder.wait();
        CHECK_FALSE(sqlite_lock_holder(db));
    }
    SECTION("an idle rollback-mode connection holds no lock, but /proc shows it") {
        test::create_sample_db(db, {.memories = 3, .wal = false});
        test::Child holder = test::hold_database_open(db, dir.path());
        CHECK_FALSE(sqlite_lock_holder(db));
        CHECK(platform::process_holding_open(db) == "pid " + std::to_string(holder.pid()));
    }
}
