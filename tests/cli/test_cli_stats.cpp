// `soniabk stats` as operators read it: logical against stored bytes, the page store's packs and the
// bytes no backup needs, and what each backup added.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli stats: a page store's second night adds little, and the ratio says so") {
    CliFixture f({.memories = 3000});
    REQUIRE(f.run({"init"}).exit_code == 0);
    const Json first = f.run_json({"backup", "db"});
    {
        Database writer = Database::open(f.db, Database::Mode::read_write);
        writer.exec("UPDATE memories SET content = 'changed' WHERE id = 42");
    }
    f.run_json({"backup", "db"});
    const Json stats = f.run_json({"stats"});
    REQUIRE(stats["backup_count"] == 2);
    const auto db_bytes = first["manifest"]["content"]["size_bytes"].get<std::uint64_t>();
    CHECK(stats["logical_bytes"].get<std::uint64_t>() >= 2 * db_bytes - 2 * 4096);
    CHECK(stats["stored_bytes"].get<std::uint64_t>() < stats["logical_bytes"].get<std::uint64_t>());
    CHECK(stats["dedup_ratio"].get<double>() > 1.5);
    REQUIRE(stats["pages"].is_object());
    CHECK(stats["pages"]["packs"].get<int>() >= 2);
    CHECK(stats["pages"]["unneeded_bytes"] == 0);
    const Json& newest = stats["backups"][0];
    const Json& oldest = stats["backups"][1];
    CHECK(newest["format"] == "pages");
    CHECK(newest["added_bytes"].get<std::uint64_t>() * 10 < oldest["added_bytes"].get<std::uint64_t>());

    // A pack no index names (a killed writer's) is unneeded until prune collects it.
    {
        std::ofstream orphan(f.repo / "pages" / "packs" / "0123456789abcdef0123456789abcdef.pack", std::ios::binary);
        orphan << std::string(1000, 'x');
    }
    CHECK(f.run_json({"stats"})["pages"]["unneeded_bytes"] == 1000);
    const ProcessResult text = f.run({"stats"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("2 backups") != std::string::npos);
    CHECK(text.out.find("dedup ratio") != std::string::npos);
}

TEST_CASE("cli stats: a files repository has no page store, a missing one is an error naming it") {
    CliFixture f;
    init_repo(f.repo);
    f.run_json({"backup", "db"});
    const Json stats = f.run_json({"stats"});
    CHECK(stats["pages"].is_null());
    CHECK(stats["backup_count"] == 1);
    CHECK(stats["dedup_ratio"].get<double>() > 0.5);
    const ProcessResult missing = run_soniabk({"stats", "--repo", (f.dir / "nowhere").string()});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("nowhere") != std::string::npos);
}
