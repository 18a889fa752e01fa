#include "repo/journal.hpp"
#include "repo/repository.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

TEST_CASE("journal: hand-edited lines with fields of the wrong type are read as far as they make sense") {
    test::TempDir dir;
    storage::LocalStorage store(dir.path());
    store.append(journal_key, "{\"command\": 7, \"at\": \"2026-11-26T02:00:00Z\", \"ok\": \"yes\", \"detail\": []}\n");
    store.append(journal_key, "{\"command\": \"verify\", \"at\": 12}\n");
    append_journal(store, {"backup db", *parse_iso8601("2026-11-26T03:00:00Z"), true, 1.5, {{"backup_id", "bkp_x"}}});
    const auto records = read_journal(store);
    REQUIRE(records.size() == 2);  // the line without a readable time is skipped
    CHECK(records[0].command.empty());
    CHECK_FALSE(records[0].ok);
    CHECK(records[0].detail == Json::object());
    CHECK(records[1].command == "backup db");
    CHECK(records[1].detail["backup_id"] == "bkp_x");
}
