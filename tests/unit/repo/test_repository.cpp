#include "base/error.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

Manifest manifest_for(const std::string& id, const std::string& file, TimePoint at) {
    Manifest m;
    m.backup_id = id;
    m.kind = "db";
    m.label = "daily";
    m.created_at = at;
    m.source = "memory.db";
    m.method = "backup";
    m.file = file;
    m.sha256 = std::string(64, '0');
    m.tool_version = "test";
    return m;
}

void add_backup(const Repository& repo, const std::string& id, const std::string& file, TimePoint at) {
    test::write_text(repo.kind_directory("db") / file, "data");
    write_manifest(repo.storage(), "db/" + file, manifest_for(id, file, at));
}

}  // namespace

TEST_CASE("repository: scan finds complete, incomplete and invalid backups, newest first") {
    test::TempDir dir;
    test::init_repo(dir / "repo");
    const Repository repo = Repository::open(dir / "repo");
    const TimePoint t0 = *parse_iso8601("2026-11-20T02:00:00Z");
    add_backup(repo, "bkp_20261120T020000Z_aaaaaa", "memory-20261120-020000.db", t0);
    add_backup(repo, "bkp_20261121T020000Z_bbbbbb", "memory-20261121-020000.db", t0 + 24h);
    test::write_text(repo.kind_directory("db") / "memory-20261122-020000.db", "no manifest");
    test::write_text(repo.kind_directory("db") / ".memory-20261123-020000.db.tmp-42", "temp of a killed writer");
    test::write_text(repo.kind_directory("db") / "memory-20261119-020000.db.manifest.json", "{\"trunc");

    const auto entries = repo.scan();
    REQUIRE(entries.size() == 4);
    std::set<std::string> statuses;
    for (const auto& e : entries) statuses.insert(to_string(e.status));
    CHECK(statuses == std::set<std::string>{"complete", "incomplete", "invalid"});
    const BackupEntry* newest = newest_complete(entries);
    REQUIRE(newest != nullptr);
    CHECK(newest->id() == "bkp_20261121T020000Z_bbbbbb");

    SECTION("ids resolve by unique prefix") {
        CHECK(find_backup(entries, "bkp_20261120").id() == "bkp_20261120T020000Z_aaaaaa");
        CHECK(find_backup(entries, "memory-20261122").status == BackupEntry::Status::incomplete);
    }
    SECTION("an ambiguous prefix names the candidates") {
        CHECK_THROWS_WITH(find_backup(entries, "bkp_2026112"), Catch::Contains("matches 2 backups"));
    }
    SECTION("no match is an error") { CHECK_THROWS_WITH(find_backup(entries, "bkp_1999"), Catch::Contains("no backup matches")); }
    SECTION("any unique prefix of an id's random part resolves, as list's short form shows it") {
        CHECK(short_id("bkp_20261121T020000Z_bbbbbb") == "bbbbbb");
        CHECK(short_id("memory-20261122-020000.db") == "memory-20261122-020000.db");
        CHECK(find_backup(entries, "bb").id() == "bkp_20261121T020000Z_bbbbbb");
        CHECK(find_backup(entries, "aaaaaa").id() == "bkp_20261120T020000Z_aaaaaa");
    }
}

TEST_CASE("repository: only init or an older repository with backups can be written to") {
    test::TempDir dir;
    const FixedClock clock(*parse_iso8601("2026-12-02T06:00:00Z"));
    SECTION("a missing path or an empty directory is not a repository, and nothing is created") {
        CHECK_THROWS_WITH(Repository::open_for_writing(dir / "typo", clock), Catch::Contains("soniabk init"));
        CHECK_FALSE(fs::exists(dir / "typo"));
        fs::create_directory(dir / "mnt");
        try {
            Repository::open_for_writing(dir / "mnt", clock);
            FAIL("an empty directory was taken for a repository");
        } catch (const Error& e) {
            CHECK(e.code() == "not_a_repository");
            CHECK(e.exit_code() == 2);
        }
        CHECK(fs::is_empty(dir / "mnt"));
    }
    SECTION("a repository older than init is adopted once, as format files") {
        test::init_repo(dir / "repo");
        add_backup(Repository::open(dir / "repo"), "bkp_20261120T020000Z_aaaaaa", "memory-20261120-020000.db",
                   clock.now());
        fs::remove(dir / "repo" / "config.json");
        const Repository adopted = Repository::open_for_writing(dir / "repo", clock);
        CHECK(adopted.adopted());
        REQUIRE(adopted.config());
        CHECK(adopted.config()->origin == ConfigOrigin::adopted);
        CHECK(adopted.config()->format == BackupFormat::files);
        CHECK(adopted.config()->encryption == EncryptionPolicy::plain);
        const Repository again = Repository::open_for_writing(dir / "repo", clock);
        CHECK_FALSE(again.adopted());
        CHECK(again.config()->repository_id == adopted.config()->repository_id);
    }
    SECTION("the config round-trips and a damaged one names the file") {
        RepositoryConfig config;
        config.repository_id = new_repository_id();
        config.format = BackupFormat::pages;
        config.encryption = EncryptionPolicy::passphrase;
        config.source_db = "/var/lib/sonia/memory.db";
        config.created_at = clock.now();
        config.tool_version = "test";
        const Repository made = Repository::init(dir / "new", config);
        CHECK(made.config()->format == BackupFormat::pages);
        CHECK(Repository::open(dir / "new").config()->to_json() == config.to_json());
        CHECK_THROWS_WITH(Repository::init(dir / "new", config), Catch::Contains("already a soniabk repository"));
        test::write_text(dir / "new" / "config.json", R"({"type": "soniabk-repository", "version": 1, "format": "tar"})");
        CHECK_THROWS_WITH(Repository::open_for_writing(dir / "new", clock),
                          Catch::Contains("config.json: invalid repository config"));
        CHECK_FALSE(Repository::open(dir / "new").config());  // reading (a restore) still works
    }
}

TEST_CASE("repository: names and ids are unique within one second") {
    test::TempDir dir;
    test::init_repo(dir / "repo");
    const Repository repo = Repository::open(dir / "repo");
    const TimePoint t = *parse_iso8601("2026-11-26T00:30:00Z");
    const std::string first = repo.allocate_data_key("db", "memory", ".db", t);
    CHECK(first == "db/memory-20261126-003000.db");
    test::write_text(repo.storage().location(first), "x");
    CHECK(repo.allocate_data_key("db", "memory", ".db", t) == "db/memory-20261126-003000-2.db");
    std::set<std::string> ids;
    for (int i = 0; i < 200; ++i) ids.insert(new_backup_id(t));
    CHECK(ids.size() == 200);
    CHECK(ids.begin()->starts_with("bkp_20261126T003000Z_"));
}

TEST_CASE("repository: the writer lock is exclusive and names its holder") {
    test::TempDir dir;
    test::init_repo(dir / "repo");
    const Repository repo = Repository::open(dir / "repo");
    {
        const RepositoryLock held = repo.lock_for_writing("backup db", 1s);
        // flock locks belong to the open file description, so a second open in this process conflicts too.
        CHECK_THROWS_WITH(repo.lock_for_writing("prune", 100ms), Catch::Contains("locked by soniabk pid"));
    }
    CHECK_NOTHROW(repo.lock_for_writing("prune", 100ms));
}

TEST_CASE("repository: opening a missing repository is a clear error") {
    test::TempDir dir;
    CHECK_THROWS_WITH(Repository::open(dir / "nope"), Catch::Contains("no such repository"));
}
