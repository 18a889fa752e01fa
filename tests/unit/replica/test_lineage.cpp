// Lineages in a repository: found by their record, their segments ordered by sequence up to the first gap,
// their restorable range read from the segments' names alone.
#include "replica/lineage.hpp"

#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::replica;

namespace {

TimePoint ms(std::int64_t value) { return TimePoint(std::chrono::milliseconds(value)); }

}  // namespace

TEST_CASE("lineage lists records with their segments in order, stopping at a gap") {
    test::TempDir dir;
    storage::LocalStorage storage(dir.path());
    const LineageRecord record{"lin_20261208T010000Z_abcdef", "/data/memory.db", "bkp_20261208T010000Z_123456", ms(1000), 2};
    write_lineage(storage, record);
    for (const auto& [seq, first, last, count] : std::vector<std::tuple<int, int, int, int>>{
             {1, 1100, 1100, 3}, {0, 1000, 1000, 0}, {3, 1500, 1900, 40}, {2, 1200, 1400, 20}, {5, 2500, 2600, 9}}) {
        storage.write_all(segment_key(record.id, seq, ms(first), ms(last), count), "x", storage::Overwrite::never);
    }
    storage.write_all(segment_key("lin_no_record", 0, ms(1), ms(1), 0), "x", storage::Overwrite::never);
    storage.write_all(heartbeat_key(record.id), "{}", storage::Overwrite::never);

    const std::vector<StoredLineage> all = list_lineages(storage);
    REQUIRE(all.size() == 1);
    const StoredLineage& l = all.front();
    CHECK(l.record.base_backup_id == record.base_backup_id);
    REQUIRE(l.segments.size() == 4);  // 0..3: sequence 4 is missing, so 5 is not used
    CHECK(l.gap);
    for (std::size_t i = 0; i < l.segments.size(); ++i) CHECK(l.segments[i].sequence == i);
    CHECK(l.first_point() == ms(1100));  // the end of the two fix-up segments
    CHECK(l.last_point() == ms(1900));
    CHECK(l.restorable_transactions() == 60);
    CHECK(list_lineages(storage, "/other/memory.db").empty());
    CHECK(list_lineages(storage, "/data/memory.db").size() == 1);
}

TEST_CASE("lineage whose fix-up never finished has no points") {
    test::TempDir dir;
    storage::LocalStorage storage(dir.path());
    const LineageRecord record{"lin_20261208T010000Z_000001", "/data/memory.db", "bkp_x", ms(1000), 3};
    write_lineage(storage, record);
    storage.write_all(segment_key(record.id, 0, ms(1000), ms(1000), 0), "x", storage::Overwrite::never);
    const StoredLineage l = list_lineages(storage).front();
    CHECK_FALSE(l.first_point());
    CHECK_FALSE(l.last_point());
}
