#include "base/error.hpp"
#include "platform/processes.hpp"
#include "storage/local_storage.hpp"
#include "fake_repo.hpp"
#include "commands/forget.hpp"
#include "repo/journal.hpp"
#include "commands/prune.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace soniabk;
using namespace std::chrono_literals;
using test::at;

namespace {

// Ten daily backups at 02:00 from 17 to 26 November plus one manual; returns the daily ids, newest first.
std::vector<std::string> ten_days(const fs::path& repo) {
    std::vector<std::string> ids;
    for (int day = 26; day >= 17; --day) {
        ids.push_back(test::add_fake_backup(repo, at(fmt::format("2026-11-{}T02:00:00Z", day)),
                                            {.content = fmt::format("day {}", day)}));
    }
    test::add_fake_backup(repo, at("2026-11-01T09:00:00Z"), {.label = "manual"});
    return ids;
}

std::set<std::string> ids_in(const fs::path& repo) {
    std::set<std::string> ids;
    for (const auto& e : Repository::open(repo).scan()) ids.insert(e.id());
    return ids;
}

std::vector<std::string> removed_ids(const std::vector<RemovedBackup>& removed) {
    std::vector<std::string> ids;
    for (const auto& r : removed) ids.push_back(r.backup_id);
    return ids;
}

PruneOptions prune_options(const fs::path& repo, const Clock& clock) {
    PruneOptions o;
    o.repo = repo;
    o.clock = &clock;
    o.lock_wait = 100ms;
    return o;
}

}  // namespace

TEST_CASE("prune: removes what the policy does not keep, manifest and data, and journals it") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = ten_days(repo);
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    const PruneResult result = prune_repository(prune_options(repo, clock));

    CHECK(removed_ids(result.removed) == std::vector<std::string>{ids[7], ids[8], ids[9]});
    CHECK(result.kept.size() == 8);  // 7 daily + the manual one
    CHECK(result.freed_bytes > 0);
    CHECK(ids_in(repo).size() == 8);
    for (const auto& entry : fs::directory_iterator(repo / "db")) {
        CHECK(entry.path().filename().string().find("-1117") == std::string::npos);  // neither data nor manifest
    }
    CHECK_FALSE(fs::exists(repo / "prune-pending.json"));
    const auto journal = read_journal(storage::LocalStorage(repo));
    REQUIRE(journal.size() == 1);
    CHECK(journal.back().command == "prune");
    CHECK(journal.back().ok);
    CHECK(journal.back().detail["removed"] == Json{ids[7], ids[8], ids[9]});

    SECTION("a second prune finds nothing more to do") {
        CHECK(prune_repository(prune_options(repo, clock)).removed.empty());
    }
}

TEST_CASE("prune: a dry run shows exactly the plan a real run carries out, and deletes nothing") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    ten_days(repo);
    test::add_incomplete_backup(repo, at("2026-11-20T00:00:00Z"));
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    PruneOptions options = prune_options(repo, clock);
    options.policy = {.keep_last = 2, .keep_weekly = 2};
    options.clean_incomplete = true;
    options.dry_run = true;
    const Json planned = prune_repository(options).to_json();
    CHECK(ids_in(repo).size() == 12);
    CHECK_FALSE(fs::exists(repo / "journal.jsonl"));

    options.dry_run = false;
    const Json done = prune_repository(options).to_json();
    CHECK(planned["dry_run"] == true);
    CHECK(done["dry_run"] == false);
    CHECK(planned["kept"] == done["kept"]);
    CHECK(planned["removed"] == done["removed"]);
    CHECK(planned["freed_bytes"] == done["freed_bytes"]);
    CHECK(done["removed"].size() == 12 - done["kept"].size());
    CHECK(ids_in(repo).size() == done["kept"].size());
}

TEST_CASE("prune: never removes the newest backup that passes verification") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = ten_days(repo);
    // The two newest backups are damaged: their manifests claim a size the data does not have.
    for (int i = 0; i < 2; ++i) {
        const auto entries = Repository::open(repo).scan();
        test::write_text(find_backup(entries, ids[static_cast<std::size_t>(i)]).data_path, "bit rot");
    }
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    PruneOptions options = prune_options(repo, clock);
    options.policy = {.keep_last = 1};
    const PruneResult result = prune_repository(options);
    std::map<std::string, std::vector<std::string>> kept;
    for (const auto& k : result.kept) kept[k.backup_id] = k.reasons;
    CHECK(kept.at(ids[0]) == std::vector<std::string>{"last"});
    CHECK(kept.at(ids[2]) == std::vector<std::string>{"newest verified backup"});
    CHECK(result.removed.size() == 8);
}

TEST_CASE("prune: finishes the removals an interrupted prune left, whatever their age") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = ten_days(repo);
    // What a kill after the manifests went leaves: the intent file and data without manifests.
    const auto entries = Repository::open(repo).scan();
    const BackupEntry& victim = find_backup(entries, ids[9]);
    fs::remove(victim.manifest_path);
    test::write_text(repo / "prune-pending.json",
                     Json{{"format", "soniabk-prune-pending"}, {"files", {"db/" + victim.data_path.filename().string()}}}.dump());
    test::add_incomplete_backup(repo, at("2026-11-10T00:00:00Z"));  // not prune's: stays without --clean-incomplete

    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    PruneOptions options = prune_options(repo, clock);
    options.policy = {.keep_last = 20};
    const PruneResult result = prune_repository(options);
    REQUIRE(result.removed.size() == 1);
    CHECK(result.removed[0].reasons == std::vector<std::string>{"leftover of an interrupted prune"});
    CHECK_FALSE(fs::exists(victim.data_path));
    CHECK_FALSE(fs::exists(repo / "prune-pending.json"));
    CHECK(ids_in(repo).size() == 11);
}

TEST_CASE("prune: --clean-incomplete removes old incomplete backups and the temps of writers that are gone") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    ten_days(repo);
    const fs::path old_incomplete = test::add_incomplete_backup(repo, at("2026-11-20T00:00:00Z"));
    const fs::path young_incomplete = test::add_incomplete_backup(repo, at("2026-11-26T01:00:00Z"));
    // Pids above Linux's largest pid_max never run; this test process does.
    const fs::path old_temp = repo / "db" / ".memory-20261120-020000.db.tmp-99999998";
    const fs::path young_dead_temp = repo / "db" / ".memory-20261126-025000.db.tmp-99999999-2";
    const fs::path young_temp = repo / (".journal.jsonl.tmp-" + std::to_string(platform::current_process_id()));
    test::write_text(old_temp, "killed writer");
    test::write_text(young_dead_temp, "writer killed a minute ago");
    test::write_text(young_temp, "running writer");
    test::set_modification_time(old_temp, at("2026-11-20T02:00:00Z"));
    test::set_modification_time(young_dead_temp, at("2026-11-26T02:59:00Z"));
    test::set_modification_time(young_temp, at("2026-11-20T02:30:00Z"));  // old, but its writer runs
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    PruneOptions options = prune_options(repo, clock);
    options.policy = {.keep_last = 20};

    SECTION("without the flag both stay") {
        prune_repository(options);
        CHECK(fs::exists(old_incomplete));
        CHECK(fs::exists(old_temp));
    }
    SECTION("with it the old ones go") {
        options.clean_incomplete = true;
        const PruneResult result = prune_repository(options);
        CHECK(removed_ids(result.removed) == std::vector<std::string>{old_incomplete.filename().string()});
        REQUIRE(result.removed_temp_files.size() == 2);
        CHECK(result.removed_temp_files[0].path == old_temp);
        CHECK(result.removed_temp_files[1].path == young_dead_temp);
        CHECK_FALSE(fs::exists(old_incomplete));
        CHECK_FALSE(fs::exists(old_temp));
        CHECK_FALSE(fs::exists(young_dead_temp));
        CHECK(fs::exists(young_incomplete));
        CHECK(fs::exists(young_temp));
    }
}

TEST_CASE("prune: waits for the repository lock, gives up with a clear error, and journals the failure") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    ten_days(repo);
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    const RepositoryLock held = Repository::open(repo).lock_for_writing("backup db", 1s);
    CHECK_THROWS_WITH(prune_repository(prune_options(repo, clock)), Catch::Contains("locked by soniabk pid"));
    CHECK(ids_in(repo).size() == 11);
    const auto journal = read_journal(storage::LocalStorage(repo));
    REQUIRE(journal.size() == 1);
    CHECK_FALSE(journal[0].ok);
    CHECK(journal[0].detail["error"]["code"] == "locked");
    PruneOptions dry = prune_options(repo, clock);
    dry.dry_run = true;
    CHECK(prune_repository(dry).removed.size() == 3);  // reading needs no lock
}

TEST_CASE("prune: a policy that keeps nothing is refused") {
    test::TempDir dir;
    ten_days(dir / "repo");
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    PruneOptions options = prune_options(dir / "repo", clock);
    options.policy = RetentionPolicy{};
    CHECK_THROWS_WITH(prune_repository(options), Catch::Contains("keeps nothing"));
    CHECK(ids_in(dir / "repo").size() == 11);
}

TEST_CASE("forget: deletes named backups and refuses the newest verified one without --force") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const auto ids = ten_days(repo);
    const FixedClock clock(at("2026-11-26T03:00:00Z"));
    ForgetOptions options;
    options.repo = repo;
    options.clock = &clock;

    SECTION("by id and by unique prefix") {
        options.ids = {ids[3], ids[5].substr(0, 24)};
        const ForgetResult result = forget_backups(options);
        CHECK(removed_ids(result.removed) == std::vector<std::string>{ids[3], ids[5]});
        CHECK(ids_in(repo).size() == 9);
        CHECK(read_journal(storage::LocalStorage(repo)).back().command == "forget");
    }
    SECTION("one unknown id deletes nothing") {
        options.ids = {ids[3], "bkp_1999"};
        CHECK_THROWS_WITH(forget_backups(options), Catch::Contains("no backup matches 'bkp_1999'"));
        CHECK(ids_in(repo).size() == 11);
    }
    SECTION("the newest verified backup needs --force") {
        options.ids = {ids[0]};
        try {
            forget_backups(options);
            FAIL("forget deleted the last good backup");
        } catch (const Error& e) {
            CHECK(e.code() == "last_good_backup");
            CHECK(e.exit_code() == 1);
        }
        CHECK(ids_in(repo).contains(ids[0]));
        options.force = true;
        CHECK(forget_backups(options).removed.size() == 1);
        CHECK_FALSE(ids_in(repo).contains(ids[0]));
    }
    SECTION("a dry run deletes nothing") {
        options.ids = {ids[4]};
        options.dry_run = true;
        CHECK(forget_backups(options).removed.size() == 1);
        CHECK(ids_in(repo).contains(ids[4]));
    }
}
