// The page store's garbage collection as operators meet it: prune and forget free the packs no remaining
// backup needs, a kill at any instant of the collection leaves every remaining backup verifying and the
// next prune finishing the work, and an encrypted store without its key is left alone, saying why.
#include "cli_fixture.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;
using namespace soniabk::test;

namespace {

std::uint64_t page_store_bytes(const fs::path& repo) {
    std::uint64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(repo / "pages")) {
        if (e.is_regular_file()) total += e.file_size();
    }
    return total;
}

void check_complete_backups_verify(const CliFixture& f, const ProcessOptions& options = {}) {
    const Json list = f.run_json({"list"});
    for (const auto& b : list["backups"]) {
        INFO("backup " << b["backup_id"]);
        if (b["complete"] == true) {
            CHECK(f.run({"verify", "--deep", b["backup_id"].get<std::string>()}, options).exit_code == 0);
        }
    }
}

// Two sources in one page store: the old one's backup is what prune removes; most of its pages are
// not the other database's, some are.
struct TwoSources : CliFixture {
    fs::path other = dir / "other.db";

    TwoSources() : CliFixture({.memories = 3000}) {
        REQUIRE(run({"init"}).exit_code == 0);
        run_json({"backup", "db"});
        fs::copy_file(db, other);
        Database writer = Database::open(other, Database::Mode::read_write);
        writer.exec("UPDATE memories SET content = 'other ' || id WHERE id % 10 != 0");
        writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const ProcessResult r = run_soniabk({"backup", "db", "--repo", repo.string(), "--db", other.string(), "-q"});
        REQUIRE(r.exit_code == 0);
    }
};

}  // namespace

TEST_CASE("cli pages collect: prune frees the packs no kept backup needs, and what stays restores") {
    TwoSources f;
    const std::uint64_t before = page_store_bytes(f.repo);
    const Json pruned = f.run_json({"prune", "--keep-last", "1"});
    REQUIRE(pruned["removed"].size() == 1);
    const Json& pages = pruned["pages"];
    CHECK(pages["packs_removed"].get<int>() + pages["packs_rewritten"].get<int>() >= 1);
    CHECK(pages["damaged_packs"].empty());
    CHECK(pages["skipped"].empty());
    CHECK(page_store_bytes(f.repo) < before);
    CHECK(pruned["freed_bytes"].get<std::uint64_t>() >= pages["bytes_removed"].get<std::uint64_t>() -
                                                             pages["bytes_written"].get<std::uint64_t>());
    check_complete_backups_verify(f);
    const fs::path out = f.dir / "out.db";
    const Json latest = f.run_json({"list"})["backups"][0];
    f.run_json({"export", latest["backup_id"], "--out", out.string()});
    CHECK(integrity_ok(out));
    // Nothing is left to collect.
    const Json again = f.run_json({"prune", "--keep-last", "1"});
    CHECK(again["pages"]["packs_removed"] == 0);
    CHECK(again["pages"]["packs_rewritten"] == 0);
    CHECK(again["pages"]["orphan_packs_removed"] == 0);
}

TEST_CASE("cli pages collect: a dry run says what prune would free and changes nothing") {
    TwoSources f;
    const std::uint64_t before = page_store_bytes(f.repo);
    const Json plan = f.run_json({"prune", "--keep-last", "1", "--dry-run"});
    CHECK(page_store_bytes(f.repo) == before);
    const Json done = f.run_json({"prune", "--keep-last", "1"});
    CHECK(plan["pages"]["packs_removed"] == done["pages"]["packs_removed"]);
    CHECK(plan["pages"]["packs_rewritten"] == done["pages"]["packs_rewritten"]);
    CHECK(plan["pages"]["bytes_removed"] == done["pages"]["bytes_removed"]);
}

TEST_CASE("cli pages collect: a prune killed anywhere in the collection harms no backup, the next finishes") {
    TwoSources f;
    const std::string point = GENERATE("pages.after_pack", "pages.after_index", "pages.collect.after_new_packs",
                                       "pages.collect.index_removed");
    INFO("killed at " << point);
    const ProcessResult killed = f.run({"prune", "--keep-last", "1"}, {.env = {{"SONIABK_FAULT", point}}});
    REQUIRE(killed.signal == SIGKILL);
    check_complete_backups_verify(f);
    const Json next = f.run_json({"prune", "--keep-last", "1"});
    CHECK(next["pages"]["damaged_packs"].empty());
    check_complete_backups_verify(f);
    const Json settled = f.run_json({"prune", "--keep-last", "1"});
    CHECK(settled["pages"]["packs_removed"] == 0);
    CHECK(settled["pages"]["packs_rewritten"] == 0);
    CHECK(settled["pages"]["orphan_packs_removed"] == 0);
}

TEST_CASE("cli pages collect: forget collects too, an encrypted store is collected only with its key") {
    CliFixture f({.memories = 2000});
    const fs::path key = f.dir / "k.key";
    REQUIRE(run_soniabk({"keygen", key.string()}).exit_code == 0);
    REQUIRE(f.run({"init"}).exit_code == 0);
    const ProcessOptions with_key{.env = {{"SONIABK_KEY_FILE", key.string()}}};
    const Json plain = f.run_json({"backup", "db"});
    const Json sealed = f.run_json({"backup", "db", "--encrypt"}, 0, with_key);
    const Json newest = f.run_json({"backup", "db", "--encrypt"}, 0, with_key);

    const Json without = f.run_json({"forget", "--force", sealed["backup_id"], newest["backup_id"]},
                                    0, {.env = {{"SONIABK_KEY_FILE", ""}}});
    CHECK(without["removed"].size() == 2);
    CHECK(without["pages"]["skipped"].empty());  // no encrypted backup remains: its pages are all unneeded
    CHECK(without["pages"]["packs_removed"].get<int>() >= 1);
    check_complete_backups_verify(f);

    // An encrypted backup remains: without the key its pages cannot be known, so they stay.
    f.run_json({"backup", "db", "--encrypt"}, 0, with_key);
    const std::uint64_t before = page_store_bytes(f.repo);
    const Json no_key = f.run_json({"forget", "--force", plain["backup_id"]}, 0, {.env = {{"SONIABK_KEY_FILE", ""}}});
    REQUIRE(no_key["pages"]["skipped"].size() == 1);
    CHECK(no_key["pages"]["skipped"][0].get<std::string>().starts_with("encrypted pages not collected"));
    CHECK(no_key["pages"]["packs_removed"].get<int>() >= 1);  // the plain pages went all the same
    CHECK(page_store_bytes(f.repo) < before);
    check_complete_backups_verify(f, with_key);

    // With the key, the encrypted pages no backup needs go too: partly needed blocks are re-sealed. (Another
    // database's backup: one of the same database would build on the one forgotten, and keep it.)
    const Json older = f.run_json({"list"})["backups"][0];
    const fs::path other = f.dir / "other.db";
    fs::copy_file(f.db, other);
    Database writer = Database::open(other, Database::Mode::read_write);
    writer.exec("UPDATE memories SET content = 'rewritten ' || id WHERE id % 10 != 0");
    writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    REQUIRE(run_soniabk({"backup", "db", "--encrypt", "--repo", f.repo.string(), "--db", other.string(), "-q"}, with_key)
                .exit_code == 0);
    const Json keyed = f.run_json({"forget", "--force", older["backup_id"]}, 0, with_key);
    CHECK(keyed["pages"]["skipped"].empty());
    CHECK(keyed["pages"]["packs_rewritten"].get<int>() >= 1);
    check_complete_backups_verify(f, with_key);
}
