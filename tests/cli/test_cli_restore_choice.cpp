// Which backup a restore takes: the target database's own (list and show name each source), and the newest one
// that verifies when the newest is damaged.
#include "cli_fixture.hpp"
#include "repo_init.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli restore choice: list and show name each backup's source, restore --latest picks the target's own") {
    CliFixture f({.memories = 40});
    init_repo(f.repo);
    const fs::path other = f.dir / "inuse-1.db";
    create_sample_db(other, {.memories = 7});
    const std::string mine = f.run_json({"backup", "db"})["backup_id"];
    // soniabk --json with the fixture's repository and another database.
    const auto on = [&](const fs::path& db, std::vector<std::string> args, int expected_exit = 0) {
        args.insert(args.begin(), {"--json", "--repo", f.repo.string(), "--db", db.string()});
        const ProcessResult r = run_soniabk(args);
        INFO(r.err);
        CHECK(r.exit_code == expected_exit);
        return Json::parse(r.out);
    };
    const std::string theirs = on(other, {"backup", "db"})["backup_id"];  // the newer one

    const Json list = f.run_json({"list"});
    REQUIRE(list["backups"].size() == 2);
    CHECK(list["backups"][0]["backup_id"] == theirs);
    CHECK(list["backups"][0]["source"] == fs::absolute(other).lexically_normal().string());
    CHECK(list["backups"][1]["source"] == fs::absolute(f.db).lexically_normal().string());
    const ProcessResult table = f.run({"list"});
    CHECK_THAT(table.out, Catch::Contains("SOURCE") && Catch::Contains("inuse-1.db"));

    const Json restored = f.run_json({"restore", "--latest"});
    CHECK(restored["backup_id"] == mine);
    CHECK(count_rows(f.db, "memories") == 40);
    const Json restored_other = on(other, {"restore", "--latest"});
    CHECK(restored_other["backup_id"] == theirs);

    const Json stranger = on(f.dir / "notes.db", {"restore", "--latest", "--dry-run"}, 3);
    CHECK(stranger["error"]["code"] == "no_backup");
    CHECK_THAT(stranger["error"]["message"].get<std::string>(),
               Catch::Contains("no backup of") && Catch::Contains("inuse-1.db") && Catch::Contains("name one by its id"));

    const ProcessResult stranger_text = run_soniabk(
        {"--repo", f.repo.string(), "--db", (f.dir / "notes.db").string(), "restore", "--latest", "--dry-run"});
    CHECK(stranger_text.exit_code == 3);
    CHECK(stranger_text.out.empty());  // says only that there is nothing to restore
    CHECK(std::count(stranger_text.err.begin(), stranger_text.err.end(), '\n') == 1);
    CHECK(list["backups"][0]["problem"].is_null());  // complete backups have no problem

    const Json shown = f.run_json({"show", mine.substr(0, mine.size() - 2)});
    CHECK(shown["backup"]["backup_id"] == mine);
    CHECK(shown["manifest"]["source"] == fs::absolute(f.db).lexically_normal().string());
    CHECK(shown["manifest"]["database"]["memories"]["total"] == 40);
    const ProcessResult human = f.run({"show", mine});
    CHECK(human.exit_code == 0);
    CHECK_THAT(human.out, Catch::Contains("backup " + mine + " (db, complete)") && Catch::Contains("sha256") &&
                              Catch::Contains("  database\n") && Catch::Contains("    memories\n"));
    CHECK(f.run({"show", "bkp_19"}).exit_code == 3);
}

TEST_CASE("cli restore choice: a damaged newest backup names the newest one that verifies, --latest-good takes it") {
    CliFixture f({.memories = 30});
    init_repo(f.repo);
    const std::string good = f.run_json({"backup", "db"})["backup_id"];
    const Json newest = f.run_json({"backup", "db"});
    const fs::path data = newest["path"].get<std::string>();
    std::string bytes = read_text(data);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    fs::permissions(data, fs::perms::owner_read | fs::perms::owner_write);
    write_text(data, bytes);

    const ProcessResult damaged = f.run({"restore", "--latest"});
    CHECK(damaged.exit_code == 1);
    CHECK_THAT(damaged.err, Catch::Contains("the newest backup of this database that verifies is " + good) &&
                                Catch::Contains("--latest-good"));
    const Json restored = f.run_json({"restore", "--latest-good"});
    CHECK(restored["backup_id"] == good);
    CHECK(count_rows(f.db, "memories") == 30);
    CHECK(f.run({"restore", "--latest-good", "--latest"}).exit_code == 2);

    const fs::path good_data = f.run_json({"show", good})["backup"]["path"].get<std::string>();
    fs::permissions(good_data, fs::perms::owner_read | fs::perms::owner_write);
    write_text(good_data, "garbage");
    const Json none = f.run_json({"restore", "--latest-good"}, 3);
    CHECK(none["error"]["code"] == "no_backup");
    CHECK_THAT(f.run({"restore", "--latest"}).err, Catch::Contains("no other backup of this database verifies"));
}
