#include "storage/local_storage.hpp"

#include "storage_conformance.hpp"
#include "temp_dir.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace soniabk;
using namespace soniabk::storage;
using soniabk::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("local_storage: passes the storage conformance suite") {
    TempDir dir;
    int n = 0;
    check_storage_conformance([&] {
        const fs::path root = dir.path() / std::to_string(++n);
        fs::create_directories(root);
        return std::make_unique<LocalStorage>(root);
    });
}

TEST_CASE("local_storage: objects are owner-only files under the root, written through a hidden temp") {
    TempDir dir;
    LocalStorage s(dir.path());
    const auto object = s.create("db/a.db", Overwrite::never);
    const fs::path temp = *object->local_path();
    CHECK(temp.parent_path() == dir.path() / "db");
    CHECK(temp.filename().string().starts_with(".a.db.tmp-"));
    object->sink().write("abc", 3);
    CHECK(s.list("db/", Listing::leftovers).size() == 1);  // what a killed writer would leave
    object->publish();
    CHECK_FALSE(fs::exists(temp));
    CHECK(s.location("db/a.db") == dir.path() / "db" / "a.db");
#ifndef _WIN32
    CHECK((fs::status(dir.path() / "db" / "a.db").permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK((fs::status(dir.path() / "db").permissions() & fs::perms::all) == fs::perms::owner_all);
#endif
}

TEST_CASE("local_storage: a writer can fill the temp file by path (SQLite) and publish it") {
    TempDir dir;
    LocalStorage s(dir.path());
    const auto object = s.create("db/b.db", Overwrite::never);
    platform::OutputFile out = platform::OutputFile::create_new(*object->local_path());
    out.write("by path", 7);
    out.close();
    object->publish();
    CHECK(s.read_all("db/b.db") == "by path");
}
