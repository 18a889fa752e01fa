// The page store through the binary: backup db --format pages (plain, compressed, encrypted), list, verify
// (cheap and --deep), restore, drill, export and decrypt, and the default format of new and old repositories.
#include "cli_fixture.hpp"
#include "io/hash.hpp"
#include "process.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using soniabk::test::CliFixture;

namespace {

// Every test's repository is made here, so that a repository-creating step can be added in one place.
// A new repository, as an operator makes it: `init` (page store by default).
Json back_up(const CliFixture& f, std::vector<std::string> extra = {}, const test::ProcessOptions& options = {}) {
    std::vector<std::string> args{"backup", "db"};
    args.insert(args.end(), extra.begin(), extra.end());
    return f.run_json(args, 0, options);
}

// `restore --latest` into `target` (not the fixture's database).
test::ProcessResult restore_to(const CliFixture& f, const fs::path& target) {
    return test::run_soniabk({"restore", "--latest", "--json", "--repo", f.repo.string(), "--db", target.string()});
}

std::int64_t rows(const fs::path& db) {
    Database d = Database::open(db, Database::Mode::read_only);
    return d.query_int("SELECT count(*) FROM memories").value_or(-1);
}

}  // namespace

TEST_CASE("cli pages: a new repository stores pages, the second backup adds only what changed") {
    CliFixture f({.memories = 3000});
    create_repository(f);
    const Json first = back_up(f);
    const Json& m1 = first["manifest"];
    CHECK(m1["format_version"] == 3);
    CHECK(m1["file"].get<std::string>().ends_with(".pagemap"));
    CHECK(m1["pages"]["parent_backup_id"].is_null());
    CHECK(m1["pages"]["pages_new"].get<int>() > 0);
    CHECK(m1["pages"]["pages_new"] <= m1["pages"]["page_count"]);
    {
        Database writer = Database::open(f.db, Database::Mode::read_write);
        writer.exec("UPDATE memories SET content = 'changed tonight' WHERE id = 1500");
    }
    const Json second = back_up(f);
    const Json& m2 = second["manifest"];
    CHECK(m2["pages"]["parent_backup_id"] == m1["backup_id"]);
    CHECK(m2["pages"]["map_depth"] == 1);
    CHECK(m2["pages"]["pages_new"].get<int>() <= 10);
    CHECK(m2["pages"]["stored_bytes_added"].get<std::uint64_t>() < m1["pages"]["stored_bytes_added"].get<std::uint64_t>() / 10);

    const Json list = f.run_json({"list"});
    REQUIRE(list["backups"].size() == 2);

    const Json cheap = f.run_json({"verify", "--all"});
    CHECK(cheap["ok"] == true);
    const Json deep = f.run_json({"verify", "--all", "--deep"});
    CHECK(deep["ok"] == true);

    const fs::path out = f.dir / "exported.db";
    const Json exported = f.run_json({"export", m2["backup_id"], "--out", out.string()});
    CHECK(exported["sha256"] == m2["content"]["sha256"]);
    CHECK(rows(out) == 3000);
    Database e = Database::open(out, Database::Mode::read_only);
    CHECK(e.query_int("SELECT count(*) FROM memories WHERE content = 'changed tonight'") == 1);
}

TEST_CASE("cli pages: restore and drill rebuild a page-store backup") {
    CliFixture f({.memories = 500});
    create_repository(f);
    const Json backup = back_up(f, {"--format", "pages", "--compress", "zstd:5"});
    CHECK(backup["manifest"]["compression"]["level"] == 5);
    const fs::path target = f.dir / "live" / "memory.db";
    fs::create_directories(target.parent_path());
    test::create_sample_db(target, {.memories = 10});
    const test::ProcessResult restored = restore_to(f, target);
    INFO(restored.err);
    CHECK(restored.exit_code == 0);
    CHECK(rows(target) == 500);
    const Json drill = f.run_json({"drill"});
    CHECK(drill["passed"] == true);
}

TEST_CASE("cli pages: encrypted page store needs the key for deep checks and rebuilds") {
    CliFixture f({.memories = 400});
    create_repository(f);
    const fs::path key = f.dir / "k.key";
    REQUIRE(f.run({"keygen", key.string()}).exit_code == 0);
    const test::ProcessOptions keyed{{{"SONIABK_KEY_FILE", key.string()}}, {}, {}};
    const Json backup = back_up(f, {"--encrypt"}, keyed);
    const Json& m = backup["manifest"];
    CHECK(m["encryption"]["algorithm"] == "aes-256-gcm");
    CHECK(!m.contains("database"));
    CHECK(m["content"].contains("hmac_sha256"));
    CHECK(!m["content"].contains("sha256"));
    CHECK(f.run_json({"verify", "--latest"})["ok"] == true);  // cheap, without the key
    CHECK(f.run_json({"verify", "--latest", "--deep"}, 2)["error"]["code"] == "key_required");
    CHECK(f.run_json({"verify", "--latest", "--deep"}, 0, keyed)["ok"] == true);
    const fs::path out = f.dir / "plain.db";
    f.run_json({"decrypt", m["backup_id"], "--out", out.string()}, 0, keyed);
    CHECK(rows(out) == 400);
}

TEST_CASE("cli pages: a repository stores the format init recorded, --format overrides") {
    CliFixture f({.memories = 100});
    SECTION("pages, the default") {
        create_repository(f);
        CHECK(back_up(f, {"--format", "files"})["manifest"]["file"].get<std::string>().ends_with(".db"));
        const Json next = back_up(f);
        CHECK(next["manifest"]["file"].get<std::string>().ends_with(".pagemap"));
        CHECK(next["manifest"].contains("pages"));
    }
    SECTION("files") {
        REQUIRE(f.run({"init", "--format", "files"}).exit_code == 0);
        const Json next = back_up(f);
        CHECK(next["manifest"]["file"].get<std::string>().ends_with(".db"));
        CHECK(!next["manifest"].contains("pages"));
        CHECK(back_up(f, {"--format", "pages"})["manifest"]["file"].get<std::string>().ends_with(".pagemap"));
    }
    CHECK(f.run_json({"verify", "--all", "--deep"})["ok"] == true);
}

TEST_CASE("cli pages: a damaged pack fails verify --deep and restore, naming the pack") {
    CliFixture f({.memories = 300});
    create_repository(f);
    back_up(f);
    fs::path pack;
    for (const auto& e : fs::recursive_directory_iterator(f.repo / "pages" / "packs")) pack = e.path();
    REQUIRE(!pack.empty());
    {
        std::fstream file(pack, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(200);
        file.put('\x11');
    }
    CHECK(f.run_json({"verify", "--latest"})["ok"] == true);  // cheap: the pack is there, at its size
    const Json deep = f.run_json({"verify", "--latest", "--deep"}, 1);
    CHECK(deep["ok"] == false);
    CHECK(deep.dump().find(pack.filename().string()) != std::string::npos);
    const fs::path target = f.dir / "restored.db";
    CHECK(restore_to(f, target).exit_code == 3);
    CHECK(!fs::exists(target));
}
