// The shape of SQLite's WAL-reset bug (fixed in 3.51.3): a writer commits while two other processes
// checkpoint back to back, PASSIVE and TRUNCATE, so checkpoints complete and the WAL restarts under
// commits. Afterwards the database must pass integrity_check and hold every transaction committed.
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sstream>
#include <string>

using namespace soniabk;

namespace {

constexpr const char* stress_seconds = "3";  // bounded: long enough for thousands of checkpoints

test::Child start_checkpointer(const fs::path& db, const char* mode) {
    return test::Child({test::helper_binary("soniabk-test-checkpointer").string(), db.string(), mode, stress_seconds});
}

// The checkpointer's report "COMPLETED TRIED": how many of its checkpoints finished the whole WAL.
long completed_checkpoints(const test::ProcessResult& result) {
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    long completed = -1;
    std::istringstream(result.out) >> completed;
    return completed;
}

}  // namespace

TEST_CASE("wal_reset: a writer and two checkpointing processes leave every commit in an intact database") {
    test::TempDir dir;
    const auto db_path = dir / "memory.db";
    const auto progress = dir / "progress";
    test::Child writer = test::start_writer(db_path, progress, 20, "0");  // only the other processes checkpoint
    const long before = test::committed(progress);
    test::Child passive = start_checkpointer(db_path, "PASSIVE");
    test::Child truncate = start_checkpointer(db_path, "TRUNCATE");
    const test::ProcessResult passive_result = passive.wait();
    const test::ProcessResult truncate_result = truncate.wait();
    const long reported = test::committed(progress);
    REQUIRE(writer.running());  // a writer that hit an error would have stopped
    writer.kill(SIGKILL);
    writer.wait();

    CHECK(completed_checkpoints(passive_result) > 0);
    CHECK(completed_checkpoints(truncate_result) > 0);
    CHECK(reported > before + 100);  // the writer kept committing throughout
    Database db = Database::open(db_path, Database::Mode::read_write);
    CHECK(test::check_whole_transactions(db) >= reported);
}
