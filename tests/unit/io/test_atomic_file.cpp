#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "temp_dir.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

TEST_CASE("atomic_file: publish all or nothing") {
    test::TempDir dir;
    const auto target = dir / "file.json";

    SECTION("commit replaces the old content and leaves no temp") {
        test::write_text(target, "old");
        write_file_atomically(target, "new");
        CHECK(test::read_text(target) == "new");
        CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
    }
    SECTION("files are owner-only") {
        write_file_atomically(target, "secret");
        CHECK(platform::is_owner_only(target));
    }
    SECTION("a failed write leaves the old content and removes the temp") {
        test::write_text(target, "old");
        fault::set_for_testing("write");
        CHECK_THROWS_AS(write_file_atomically(target, "new"), Error);
        fault::set_for_testing("");
        CHECK(test::read_text(target) == "old");
        CHECK_FALSE(fs::exists(temp_path_for(target)));
    }
    SECTION("a failed fsync never publishes") {
        fault::set_for_testing("fsync");
        CHECK_THROWS_WITH(write_file_atomically(target, "new"), Catch::Contains("fsync"));
        fault::set_for_testing("");
        CHECK_FALSE(fs::exists(target));
    }
    SECTION("temp names are recognised as leftovers") {
        CHECK(is_temp_name(temp_path_for(target)));
        CHECK_FALSE(is_temp_name(target));
    }
}
