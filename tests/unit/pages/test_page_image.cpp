// Page-store backups queried in place through the image VFS: the answers of the database itself, only the
// blocks a query touches read, damage reported as the object that is damaged.
#include "base/error.hpp"
#include "codec/encode.hpp"
#include "pages/page_backup.hpp"
#include "pages/page_image.hpp"
#include "sample_db.hpp"
#include "sqlite/image_vfs.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::pages;

namespace {

PageBackupResult store_backup(storage::Storage& store, const fs::path& db, const PageStoreKeys* keys = nullptr) {
    PageBackupRequest request;
    request.source = db;
    request.map_key = "db/memory.pagemap";
    request.keys = keys;
    return write_page_backup(store, request);
}

// Every memory, in id order, as one string: what two copies of a database must agree on.
std::string all_memories(Database& db) {
    return db.query_text("SELECT group_concat(id || ':' || content || ':' || coalesce(archived_at, ''), '|') "
                         "FROM (SELECT * FROM memories ORDER BY id)").value_or("");
}

std::size_t block_count(const storage::Storage& store, IdKind kind) { return PageIndex::load(store, kind).blocks().size(); }

// A sample database of 8,000 memories backed up once into a plain page store.
struct StoredSample {
    test::TempDir dir;
    fs::path db = dir / "memory.db";
    storage::LocalStorage store{dir / "repo"};
    PageBackupResult backup;

    StoredSample() {
        test::create_sample_db(db, {.memories = 8000});
        backup = store_backup(store, db);
    }
};

}  // namespace

TEST_CASE("page_image: a backup queried in place answers as the database does, reading only the blocks it needs") {
    StoredSample sample;
    auto& [dir, db, store, backup] = sample;
    Database original = Database::open(db, Database::Mode::read_only);

    PageStoreReader reader(store, std::nullopt);
    const std::unique_ptr<PageImage> image = reader.image(MapRef{"db/memory.pagemap", backup.map});
    CHECK(image->size() == backup.content.size_bytes);
    ImageRegistration registration(*image);
    Database in_place = Database::open_uri(registration.uri(), dir / "shown.db");

    CHECK(in_place.query_text("SELECT content FROM memories WHERE id = 1234") ==
          original.query_text("SELECT content FROM memories WHERE id = 1234"));
    const std::size_t blocks = block_count(store, IdKind::sha256);
    REQUIRE(blocks >= 4);
    CHECK(reader.blocks_read() < blocks);  // one row: the root, a few interior pages and one leaf
    CHECK(in_place.query_int("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'number'") ==
          original.query_int("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'number'"));
    CHECK(all_memories(in_place) == all_memories(original));
    CHECK(in_place.query_text("PRAGMA integrity_check") == "ok");

    SECTION("attached to another connection, as recover and diff read it") {
        Database other = Database::open(dir / "other.db", Database::Mode::create);
        Statement attach = other.prepare("ATTACH DATABASE ?1 AS bk");
        attach.bind(1, registration.uri());
        attach.step();
        CHECK(other.query_int("SELECT count(*) FROM bk.memories") == 8000);
        CHECK_THROWS_AS(other.exec("DELETE FROM bk.memories"), Error);  // an image is never written
        CHECK(other.query_int("SELECT count(*) FROM bk.memories") == 8000);
    }
}

TEST_CASE("page_image: an encrypted store is read in place with its keys") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 500});
    storage::LocalStorage store(dir / "repo");
    generate_key_file(dir / "k.key");
    CodecOptions codec;
    codec.encrypt = true;
    codec.keys.key_file = dir / "k.key";
    const auto keys = page_keys_for_writing(store, Encoding::resolve(codec));
    REQUIRE(keys);
    const PageBackupResult backup = store_backup(store, db, &*keys);

    PageStoreReader reader(store, page_keys_for_reading(store, codec.keys));
    const std::unique_ptr<PageImage> image = reader.image(MapRef{"db/memory.pagemap", backup.map});
    ImageRegistration registration(*image);
    Database in_place = Database::open_uri(registration.uri(), dir / "shown.db");
    Database original = Database::open(db, Database::Mode::read_only);
    CHECK(all_memories(in_place) == all_memories(original));
}

TEST_CASE("page_image: a damaged block fails the query with the error naming the pack, not a disk I/O error") {
    StoredSample sample;
    auto& [dir, db, store, backup] = sample;
    const std::string pack = store.list("pages/packs/").at(0).key;
    const fs::path pack_file = *store.local_path(pack);
    test::flip_byte(pack_file, fs::file_size(pack_file) / 2);

    PageStoreReader reader(store, std::nullopt);
    const std::unique_ptr<PageImage> image = reader.image(MapRef{"db/memory.pagemap", backup.map});
    ImageRegistration registration(*image);
    Database in_place = Database::open_uri(registration.uri(), dir / "shown.db");
    try {
        in_place.query_text("SELECT group_concat(content) FROM memories");
        FAIL("a damaged pack was read without an error");
    } catch (const Error& e) {
        CHECK(e.code() == "backup_damaged");
        CHECK_THAT(e.what(), Catch::Contains(pack_file.filename().string()));
    }
}

TEST_CASE("page_image: an unregistered image name opens nothing") {
    test::TempDir dir;
    std::string uri;
    {
        struct Empty : DatabaseImage {
            std::uint64_t size() const override { return 0; }
            void read(unsigned char*, std::size_t, std::uint64_t) override {}
        } empty;
        const ImageRegistration registration(empty);
        uri = registration.uri();
    }
    CHECK_THROWS_AS(Database::open_uri(uri, dir / "gone.db"), Error);
}
