// The WAL follower against logs SQLite writes: each committed transaction once, each page once per transaction;
// a restart right after replicate's own complete checkpoint continues, any other restart breaks continuity.
#include "replica/wal_follower.hpp"

#include "sqlite/sqlite.hpp"
#include "sqlite/wal_hold.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace soniabk;
using namespace soniabk::replica;

namespace {

struct LoggedDatabase {
    test::TempDir dir;
    fs::path path = dir / "memory.db";
    fs::path wal = dir / "memory.db-wal";
    Database db = open();

    Database open() {
        Database d = Database::open(path, Database::Mode::create);
        d.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0");
        d.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT NOT NULL)");
        return d;
    }
    void commit(int rows) {
        db.exec("BEGIN");
        for (int i = 0; i < rows; ++i) db.exec("INSERT INTO memories(content) VALUES (printf('%0500d', random()))");
        db.exec("UPDATE memories SET content = 'changed' WHERE id = 1");  // the same page again, same transaction
        db.exec("COMMIT");
    }
};

const TimePoint seen_at = TimePoint(std::chrono::milliseconds(1796698757146));
const FixedClock seen(seen_at);

}  // namespace

TEST_CASE("wal_follower reads each committed transaction once, each changed page once, stamped when seen") {
    LoggedDatabase d;
    WalHold hold(d.path, std::chrono::seconds(5));
    WalFollower follower(d.wal, committed_end(d.wal), false);
    for (int t = 0; t < 3; ++t) d.commit(20);
    REQUIRE(follower.read(seen));
    const std::vector<SegmentTransaction> read = follower.take();
    REQUIRE(read.size() == 3);
    for (const SegmentTransaction& t : read) {
        CHECK(t.committed_at == seen_at);
        CHECK(t.database_pages > 1);
        CHECK(std::set<std::uint32_t>(t.page_numbers.begin(), t.page_numbers.end()).size() == t.page_numbers.size());
        CHECK(t.pages.size() == t.page_numbers.size() * 4096);
    }
    CHECK(follower.position().offset == read.back().ends_at.offset);
    REQUIRE(follower.read(seen));
    CHECK(follower.take().empty());  // nothing new: nothing read twice
}

TEST_CASE("wal_follower continues through the restart its own complete checkpoint allows") {
    LoggedDatabase d;
    WalHold hold(d.path, std::chrono::seconds(5));
    WalFollower follower(d.wal, committed_end(d.wal), false);
    d.commit(20);
    bool continuous = false;
    const auto report = hold.checkpoint(CheckpointKind::passive, std::chrono::milliseconds(500),
                                        [&] { continuous = follower.read(seen); });
    REQUIRE(report);
    REQUIRE(report->complete());
    REQUIRE(continuous);
    follower.allow_restart();
    const std::uint32_t old_salt = follower.position().header.salt1;
    d.commit(5);  // SQLite restarts the log: everything in it was checkpointed
    REQUIRE(follower.read(seen));
    CHECK(follower.position().header.salt1 == old_salt + 1);
    CHECK(follower.take().size() == 2);
}

TEST_CASE("wal_follower refuses a log restarted by a checkpoint it did not run") {
    LoggedDatabase d;
    WalFollower follower(d.wal, committed_end(d.wal), false);
    d.commit(20);
    REQUIRE(follower.read(seen));
    d.commit(20);  // not read before the log is emptied and begun again
    d.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    d.commit(5);
    CHECK_FALSE(follower.read(seen));
    CHECK_THAT(follower.broken_reason(), Catch::Contains("restarted") && Catch::Contains("did not run"));
}
