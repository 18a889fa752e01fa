// Page-store backups of real SQLite files: exact rebuilds (WAL content included), deltas that store only
// what changed, keyed ids and sealed blocks in encrypted stores, and damage found on the way back.
#include "base/error.hpp"
#include "codec/encode.hpp"
#include "io/stream.hpp"
#include "pages/page_backup.hpp"
#include "pages/page_index.hpp"
#include "pages/rebuild.hpp"
#include "sample_db.hpp"
#include "sqlite/snapshot.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using namespace soniabk::pages;

namespace {

pages::PageBackupResult back_up(storage::Storage& store, const fs::path& db, const std::string& map_key,
                                const PageStoreKeys* keys = nullptr, std::optional<MapRef> parent = {}) {
    PageBackupRequest request;
    request.source = db;
    request.map_key = map_key;
    request.keys = keys;
    request.parent = std::move(parent);
    return write_page_backup(store, request);
}

// Rebuilds the map at `key` into `out` and returns how it went.
RebuildReport rebuild(const storage::Storage& store, const std::string& key, const PageBackupResult& backup,
                      const fs::path& out, const PageStoreKeys* keys = nullptr) {
    return write_new_file(out, [&](ByteSink& sink) {
        return rebuild_database(store, MapRef{key, backup.map}, keys, backup.content, sink);
    });
}

std::int64_t rows(const fs::path& db) {
    Database d = Database::open(db, Database::Mode::read_only);
    return d.query_int("SELECT count(*) FROM memories").value_or(-1);
}

Error error_thrown_by(const std::function<void()>& work) {
    try {
        work();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no error");
    return usage_error("unreachable");
}

}  // namespace

TEST_CASE("page_backup: the rebuilt file is the committed database, WAL included, and checks out") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 400});
    Database writer = Database::open(db, Database::Mode::read_write);
    writer.exec("PRAGMA wal_autocheckpoint=0");
    writer.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
                "INSERT INTO memories(content, created_at) SELECT 'only in the wal ' || i, '2026-12-01' FROM n");
    const std::int64_t expected_rows = rows(db);
    storage::LocalStorage store(dir / "repo");

    const PageBackupResult backup = back_up(store, db, "db/memory.pagemap");
    CHECK(backup.snapshot.check.result == "ok");
    CHECK(backup.pages_new > 0);
    CHECK(backup.packs_added == 1);
    CHECK(!backup.parent_used);

    const RebuildReport report = rebuild(store, "db/memory.pagemap", backup, dir / "rebuilt.db");
    CHECK(report.bytes == backup.content.size_bytes);
    CHECK(hash_file(dir / "rebuilt.db").sha256 == backup.content.sha256);
    CHECK(rows(dir / "rebuilt.db") == expected_rows);
    CHECK(check_database(dir / "rebuilt.db", CheckMode::full).result == "ok");
    CHECK(!is_wal_database(dir / "rebuilt.db"));  // self-contained: no -wal needed beside it
}

TEST_CASE("page_backup: a second backup stores only the changed pages and a delta map") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 2000});
    storage::LocalStorage store(dir / "repo");
    const PageBackupResult first = back_up(store, db, "db/a.pagemap");
    {
        Database writer = Database::open(db, Database::Mode::read_write);
        writer.exec("UPDATE memories SET content = 'changed' WHERE id = 1000");
    }
    const PageBackupResult second = back_up(store, db, "db/b.pagemap", nullptr, MapRef{"db/a.pagemap", first.map});
    CHECK(second.parent_used);
    CHECK(second.map_depth == 1);
    CHECK(second.pages_new > 0);
    CHECK(second.pages_new <= 10);
    CHECK(second.map.size_bytes < first.map.size_bytes);
    rebuild(store, "db/b.pagemap", second, dir / "b.db");
    CHECK(hash_file(dir / "b.db").sha256 == second.content.sha256);
    // The first backup still rebuilds its own state.
    rebuild(store, "db/a.pagemap", first, dir / "a.db");
    Database a = Database::open(dir / "a.db", Database::Mode::read_only);
    CHECK(a.query_int("SELECT count(*) FROM memories WHERE content = 'changed'") == 0);
}

TEST_CASE("page_backup: an encrypted store keys its ids, seals its blocks and refuses another key") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 300});
    generate_key_file(dir / "k.key");
    generate_key_file(dir / "other.key");
    storage::LocalStorage store(dir / "repo");
    CodecOptions codec;
    codec.encrypt = true;
    codec.keys.key_file = dir / "k.key";
    const auto keys = page_keys_for_writing(store, Encoding::resolve(codec));
    REQUIRE(keys);
    const PageBackupResult backup = back_up(store, db, "db/e.pagemap", &*keys);
    CHECK(backup.content.sha256.empty());
    CHECK(backup.content.hmac_sha256.size() == 64);

    for (const auto& object : store.list("pages/packs/")) {
        CHECK(store.read_all(object.key).find("memory number") == std::string::npos);
    }
    CHECK(PageIndex::load(store, IdKind::sha256).page_count() == 0);  // no plain ids anywhere
    rebuild(store, "db/e.pagemap", backup, dir / "e.db", &*keys);
    CHECK(rows(dir / "e.db") == 300);

    KeyOptions other;
    other.key_file = dir / "other.key";
    CHECK(error_thrown_by([&] { page_keys_for_reading(store, other); }).code() == "wrong_key");
    KeyOptions same;
    same.key_file = dir / "k.key";
    const PageStoreKeys again = page_keys_for_reading(store, same);
    rebuild(store, "db/e.pagemap", backup, dir / "e2.db", &again);
}

TEST_CASE("page_backup: a damaged pack, a missing pack or a damaged map is found") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 300});
    storage::LocalStorage store(dir / "repo");
    const PageBackupResult backup = back_up(store, db, "db/m.pagemap");
    const std::string pack = store.list("pages/packs/").at(0).key;
    CHECK(check_reachable(store, MapRef{"db/m.pagemap", backup.map}, nullptr) == 1);

    SECTION("a flipped byte in a pack") {
        const fs::path file = *store.local_path(pack);
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        f.put('\x5a');
        f.close();
        CHECK(error_thrown_by([&] { rebuild(store, "db/m.pagemap", backup, dir / "x.db"); }).code() == "backup_damaged");
        CHECK(!fs::exists(dir / "x.db"));
    }
    SECTION("a missing pack") {
        store.remove(pack);
        CHECK(error_thrown_by([&] { check_reachable(store, MapRef{"db/m.pagemap", backup.map}, nullptr); }).code() ==
              "backup_damaged");
    }
    SECTION("a map that is not the one the manifest names") {
        FileDigest wrong = backup.map;
        wrong.sha256 = std::string(64, '0');
        CHECK(error_thrown_by([&] { check_reachable(store, MapRef{"db/m.pagemap", wrong}, nullptr); }).code() ==
              "sha256_mismatch");
    }
}
