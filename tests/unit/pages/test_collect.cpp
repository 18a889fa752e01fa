// Garbage collection of the page store over real backups of real SQLite files: what the kept maps need
// still rebuilds, unneeded packs go, mostly unneeded ones are rewritten, and doubt removes nothing.
#include "io/stream.hpp"
#include "pages/collect.hpp"
#include "pages/page_backup.hpp"
#include "pages/rebuild.hpp"
#include "sample_db.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using namespace soniabk::pages;

namespace {

struct TwoBackups {
    test::TempDir dir;
    storage::LocalStorage store{dir / "repo"};
    PageBackupResult old_backup;
    PageBackupResult new_backup;

    // The second backup follows a rewrite of most rows, so most of the first backup's pages are not its.
    TwoBackups() {
        const fs::path db = dir / "memory.db";
        test::create_sample_db(db, {.memories = 3000});
        old_backup = back_up(db, "db/old.pagemap");
        Database writer = Database::open(db, Database::Mode::read_write);
        writer.exec("UPDATE memories SET content = 'rewritten ' || id WHERE id % 10 != 0");
        new_backup = back_up(db, "db/new.pagemap");
    }

    PageBackupResult back_up(const fs::path& db, const std::string& key) {
        PageBackupRequest request;
        request.source = db;
        request.map_key = key;
        return write_page_backup(store, request);
    }

    PageIdSet pages_of(const std::string& key, const PageBackupResult& backup) const {
        const PageMap map = load_page_map(store, MapRef{key, backup.map}, nullptr);
        return {map.pages.begin(), map.pages.end()};
    }

    void rebuild(const std::string& key, const PageBackupResult& backup, const fs::path& out) const {
        write_new_file(out, [&](ByteSink& sink) {
            return rebuild_database(store, MapRef{key, backup.map}, nullptr, backup.content, sink);
        });
    }

    std::uint64_t stored_bytes() const {
        std::uint64_t total = 0;
        for (const auto& o : store.list("pages/")) total += o.size_bytes;
        return total;
    }
};

}  // namespace

TEST_CASE("collect: what the kept map needs still rebuilds, the rest of the store goes") {
    TwoBackups b;
    const std::uint64_t before = b.stored_bytes();
    const PackCollection collected =
        collect_packs(b.store, IdKind::sha256, b.pages_of("db/new.pagemap", b.new_backup), nullptr, CollectMode::apply);
    CHECK(collected.packs_removed + collected.packs_rewritten >= 1);
    CHECK(collected.damaged.empty());
    CHECK(b.stored_bytes() < before);
    CHECK(b.stored_bytes() == before - collected.bytes_removed + collected.bytes_written);
    b.rebuild("db/new.pagemap", b.new_backup, b.dir / "new.db");
    CHECK(hash_file(b.dir / "new.db").sha256 == b.new_backup.content.sha256);
    CHECK(check_reachable(b.store, MapRef{"db/new.pagemap", b.new_backup.map}, nullptr) >= 1);
    // The old map's own pages went: it no longer rebuilds.
    CHECK_THROWS(b.rebuild("db/old.pagemap", b.old_backup, b.dir / "old.db"));
    // A second collection finds nothing more to do.
    const PackCollection again =
        collect_packs(b.store, IdKind::sha256, b.pages_of("db/new.pagemap", b.new_backup), nullptr, CollectMode::apply);
    CHECK(again.packs_removed + again.packs_rewritten == 0);
    // Partly needed blocks were re-encoded with their needed pages alone: little that is unneeded stays.
    CHECK(again.unneeded_bytes * 10 < b.stored_bytes() * rewrite_unneeded_tenths);
}

TEST_CASE("collect: pages both maps need keep every pack, nothing needed empties the store") {
    TwoBackups b;
    PageIdSet both = b.pages_of("db/old.pagemap", b.old_backup);
    const PageIdSet newer = b.pages_of("db/new.pagemap", b.new_backup);
    both.insert(newer.begin(), newer.end());
    const std::uint64_t before = b.stored_bytes();
    const PackCollection kept = collect_packs(b.store, IdKind::sha256, both, nullptr, CollectMode::apply);
    CHECK(kept.packs_removed + kept.packs_rewritten == 0);
    CHECK(b.stored_bytes() == before);

    const PackCollection emptied = collect_packs(b.store, IdKind::sha256, {}, nullptr, CollectMode::apply);
    CHECK(emptied.packs_removed >= 2);
    CHECK(emptied.packs_written == 0);
    CHECK(b.store.list("pages/packs/").empty());
    CHECK(b.store.list("pages/index/").empty());
}

TEST_CASE("collect: a plan changes nothing and says what a collection would do") {
    TwoBackups b;
    const PageIdSet needed = b.pages_of("db/new.pagemap", b.new_backup);
    const auto listing = [&] {
        std::vector<std::string> keys;
        for (const auto& o : b.store.list("pages/")) keys.push_back(o.key);
        return keys;
    };
    const auto objects = listing();
    const PackCollection plan = collect_packs(b.store, IdKind::sha256, needed, nullptr, CollectMode::plan_only);
    CHECK(listing() == objects);
    const PackCollection done = collect_packs(b.store, IdKind::sha256, needed, nullptr, CollectMode::apply);
    CHECK(plan.packs_removed == done.packs_removed);
    CHECK(plan.packs_rewritten == done.packs_rewritten);
    CHECK(plan.bytes_removed == done.bytes_removed);
}

TEST_CASE("collect: a pack no index names goes, one whose bytes are damaged stops the collection") {
    TwoBackups b;
    const std::string first_pack = b.store.list("pages/packs/").at(0).key;
    SECTION("an orphan pack") {
        b.store.write_all("pages/packs/00000000000000000000000000000000.pack", "left by a killed writer",
                          storage::Overwrite::never);
        const PackCollection orphans = remove_orphan_packs(b.store, CollectMode::apply);
        CHECK(orphans.orphans_removed == 1);
        CHECK(!b.store.stat("pages/packs/00000000000000000000000000000000.pack"));
        CHECK(b.store.stat(first_pack));
    }
    SECTION("a damaged pack that would be rewritten") {
        for (const auto& o : b.store.list("pages/packs/")) {
            std::fstream f(*b.store.local_path(o.key), std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(10);
            f.put('\x5a');
        }
        const auto objects = b.store.list("pages/index/").size();
        const PackCollection collected =
            collect_packs(b.store, IdKind::sha256, b.pages_of("db/new.pagemap", b.new_backup), nullptr, CollectMode::apply);
        CHECK(!collected.damaged.empty());
        CHECK(collected.packs_removed + collected.packs_rewritten == 0);
        CHECK(b.store.list("pages/index/").size() >= objects);  // nothing removed
    }
}
