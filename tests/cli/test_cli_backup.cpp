#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "writer_process.hpp"
#include "io/hash.hpp"
#include "sqlite/sqlite.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace soniabk;
using namespace soniabk::test;

TEST_CASE("cli backup db: stores a verified snapshot with a complete manifest") {
    CliFixture f({.memories = 40, .archived_every = 10});
    init_repo(f.repo);
    const Json doc = f.run_json({"backup", "db", "--format", "files", "--label", "manual"});
    CHECK(doc["ok"] == true);
    const std::string id = doc["backup_id"];
    CHECK(id.starts_with("bkp_"));
    const fs::path path = doc["path"].get<std::string>();
    CHECK(path.parent_path() == f.repo / "db");
    CHECK(path.filename().string().starts_with("memory-"));
    CHECK(path.extension() == ".db");

    const Json& m = doc["manifest"];
    for (const char* key : {"format_version", "backup_id", "kind", "label", "created_at", "source", "method", "file",
                            "size_bytes", "sha256", "duration_seconds", "tool_version", "database", "check"}) {
        INFO(key);
        CHECK(m.contains(key));
    }
    CHECK(m["kind"] == "db");
    CHECK(m["label"] == "manual");
    CHECK(m["method"] == "backup");
    CHECK(m["check"]["mode"] == "quick");
    CHECK(m["check"]["result"] == "ok");
    CHECK(m["database"]["memories"]["total"] == 40);
    CHECK(m["database"]["memories"]["archived"] == 4);
    CHECK(m["database"]["schema_version"]["version"] == 2);
    CHECK(m["database"]["source_journal_mode"] == "wal");
    const FileDigest digest = hash_file(path);
    CHECK(m["sha256"] == digest.sha256);
    CHECK(m["size_bytes"] == digest.size_bytes);

    SECTION("the stored file is a plain, owner-only SQLite database an operator can open by hand") {
        CHECK(platform::is_owner_only(path));
        CHECK(count_rows(path, "memories") == 40);
        CHECK_FALSE(fs::exists(path.string() + "-wal"));
    }
    SECTION("the manifest sits beside it and nothing else is left behind") {
        CHECK(f.files() == std::vector<std::string>{path.filename().string(),
                                                    path.filename().string() + ".manifest.json"});
    }
}

TEST_CASE("cli backup db: every method produces a backup that passes verify --deep") {
    CliFixture f;
    init_repo(f.repo);
    const std::string method = GENERATE("backup", "copy", "vacuum");
    const Json doc = f.run_json({"backup", "db", "--format", "files", "--method", method, "--check", "full"});
    CHECK(doc["manifest"]["method"] == method);
    CHECK(doc["manifest"]["check"]["result"] == "ok");
    const Json verify = f.run_json({"verify", "--deep", doc["backup_id"]});
    CHECK(verify["ok"] == true);
}

TEST_CASE("cli backup db: two backups in the same second get distinct ids and files") {
    CliFixture f;
    init_repo(f.repo);
    Child first({soniabk_binary().string(), "backup", "db", "--format", "files", "--repo", f.repo.string(), "--db", f.db.string(), "--json"});
    Child second({soniabk_binary().string(), "backup", "db", "--format", "files", "--repo", f.repo.string(), "--db", f.db.string(), "--json"});
    const ProcessResult a = first.wait();
    const ProcessResult b = second.wait();
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    const Json ja = Json::parse(a.out);
    const Json jb = Json::parse(b.out);
    CHECK(ja["backup_id"] != jb["backup_id"]);
    CHECK(ja["path"] != jb["path"]);
    CHECK(f.files().size() == 4);
    CHECK(f.run_json({"verify", "--all"})["ok"] == true);
}

TEST_CASE("cli backup db: a hot backup while a writer process commits is a consistent prefix") {
    TempDir dir;
    const fs::path db = dir / "live.db";
    const fs::path progress = dir / "progress";
    Child writer = start_writer(db, progress, 500, "1000");  // SQLite's default autocheckpoint, as SONIA runs
    const long before = committed(progress);
    init_repo(dir / "repo");
    const ProcessResult r = run_soniabk({"backup", "db", "--format", "files", "--db", db.string(), "--repo", (dir / "repo").string(),
                                         "--check", "full", "--json"});
    writer.kill(SIGKILL);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path stored = Json::parse(r.out)["path"].get<std::string>();
    Database snap = Database::open(stored, Database::Mode::read_only);
    const std::int64_t seq = snap.query_int("SELECT seq FROM counter").value_or(-1);
    CHECK(seq >= before);
    CHECK(snap.query_int("SELECT count(*) FROM ledger") == 3 * seq);
    CHECK(snap.query_int("SELECT count(DISTINCT seq) FROM ledger") == seq);
}
