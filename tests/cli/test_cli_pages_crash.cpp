// The page store under kills and a live writer: a page-store backup killed at every fault point (and at
// random instants) leaves every earlier backup verifiable and restorable and the next run succeeding;
// a backup taken while another process commits holds whole transactions only.
#include "cli_fixture.hpp"
#include "sqlite/sqlite.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <csignal>
#include <random>
#include <thread>

using namespace soniabk;
using namespace soniabk::test;

namespace {

// Every test's repository is made here, so that a repository-creating step can be added in one place.
// A new repository, as an operator makes it: `init` (page store by default).
// Every complete-looking backup verifies deeply; everything else is shown incomplete.
void check_every_backup_verifies_or_is_incomplete(const CliFixture& f) {
    if (!fs::exists(f.repo)) return;  // killed before the repository was created
    const Json list = f.run_json({"list"});  // named: a range over a temporary's member would dangle
    for (const auto& b : list["backups"]) {
        INFO("backup " << b["backup_id"]);
        if (b["complete"] == true) CHECK(f.run({"verify", "--deep", b["backup_id"].get<std::string>()}).exit_code == 0);
        else CHECK(b["status"] == "incomplete");
    }
}

void change_rows(const fs::path& db, int id) {
    Database writer = Database::open(db, Database::Mode::read_write);
    writer.exec(fmt::format("UPDATE memories SET content = 'night {}' WHERE id = {}", id, id));
}

}  // namespace

TEST_CASE("cli pages crash: a page-store backup killed at each fault point harms nothing, the next succeeds") {
    CliFixture f({.memories = 3000});
    create_repository(f);
    const Json first = f.run_json({"backup", "db", "--format", "pages"});
    change_rows(f.db, 7);
    const std::string point = GENERATE("pages.after_pack", "pages.after_index", "pages.after_packs", "publish.before_rename",
                                       "pages.after_map");
    INFO("killed at " << point);
    const ProcessResult killed = f.run({"backup", "db", "--format", "pages"}, {.env = {{"SONIABK_FAULT", point}}});
    REQUIRE(killed.signal == SIGKILL);
    check_every_backup_verifies_or_is_incomplete(f);
    CHECK(f.run_json({"verify", "--latest"})["backups"][0]["backup_id"] == first["backup_id"]);

    const Json next = f.run_json({"backup", "db", "--format", "pages"});
    CHECK(next["manifest"]["pages"]["parent_backup_id"] == first["backup_id"]);
    check_every_backup_verifies_or_is_incomplete(f);
    const fs::path out = f.dir / "out.db";
    f.run_json({"export", next["backup_id"], "--out", out.string()});
    Database exported = Database::open(out, Database::Mode::read_only);
    CHECK(exported.query_int("SELECT count(*) FROM memories WHERE content = 'night 7'") == 1);
}

TEST_CASE("cli pages crash: real SIGKILLs at random instants of page-store backups") {
    CliFixture f({.memories = 30000});
    create_repository(f);
    std::mt19937 rng(7);
    for (int round = 0; round < 5; ++round) {
        change_rows(f.db, round + 1);
        Child backup({soniabk_binary().string(), "backup", "db", "--format", "pages", "--repo", f.repo.string(), "--db",
                      f.db.string()});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(rng)));
        backup.kill(SIGKILL);
        backup.wait();
        check_every_backup_verifies_or_is_incomplete(f);
    }
    CHECK(f.run_json({"backup", "db", "--format", "pages"})["ok"] == true);
    check_every_backup_verifies_or_is_incomplete(f);
}

TEST_CASE("cli pages crash: a page-store backup under a live writer holds whole transactions only") {
    TempDir dir;
    const fs::path db = dir / "live.db";
    const fs::path progress = dir / "progress";
    Child writer = start_writer(db, progress, 200, "0");  // never checkpoints: the data is in the WAL
    const fs::path repo = dir / "repo";
    REQUIRE(run_soniabk({"init", "--repo", repo.string()}).exit_code == 0);
    for (int round = 0; round < 3; ++round) {
        const ProcessResult r =
            run_soniabk({"backup", "db", "--format", "pages", "--json", "--repo", repo.string(), "--db", db.string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        REQUIRE(wait_for_commits(writer, progress, committed(progress) + 20));
    }
    writer.kill(SIGKILL);
    const Json list = Json::parse(run_soniabk({"list", "--json", "--repo", repo.string()}).out);
    std::int64_t previous = 0;
    int i = 0;
    for (const auto& b : list["backups"]) {  // newest first
        const fs::path out = dir / fmt::format("out{}.db", i++);
        REQUIRE(run_soniabk({"export", b["backup_id"].get<std::string>(), "--out", out.string(), "--repo", repo.string()})
                    .exit_code == 0);
        Database exported = Database::open(out, Database::Mode::read_only);
        const std::int64_t seq = check_whole_transactions(exported);
        CHECK(seq >= 200);
        if (previous != 0) CHECK(seq < previous);
        previous = seq;
    }
    CHECK(i == 3);
}
