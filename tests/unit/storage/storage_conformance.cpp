#include "storage_conformance.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace soniabk;
using namespace soniabk::storage;

namespace {

std::vector<std::string> keys_of(const std::vector<ObjectInfo>& objects) {
    std::vector<std::string> keys;
    for (const auto& o : objects) keys.push_back(o.key);
    return keys;
}

}  // namespace

std::string read_range(const Storage& s, const std::string& key, storage::ByteRange range) {
    const auto reader = s.open(key, range);
    std::string out(static_cast<std::size_t>(reader->size()), '\0');
    out.resize(read_fully(*reader, out.data(), out.size()));
    return out;
}

std::string storage_error_code(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.code();
    }
    return "no error";
}

void check_storage_conformance(const std::function<std::unique_ptr<Storage>()>& make) {
    const auto s = make();

    SECTION("an object written and published reads back whole, with its size") {
        s->write_all("db/a.db", "hello, world", Overwrite::never);
        CHECK(s->read_all("db/a.db") == "hello, world");
        const auto info = s->stat("db/a.db");
        REQUIRE(info);
        CHECK(info->size_bytes == 12);
        CHECK(info->key == "db/a.db");
    }
    SECTION("ranges read exactly the bytes asked for, clipped at the end") {
        s->write_all("x/data", "0123456789", Overwrite::never);
        CHECK(read_range(*s, "x/data", {3, 4}) == "3456");
        CHECK(read_range(*s, "x/data", {7, {}}) == "789");
        CHECK(read_range(*s, "x/data", {8, 100}) == "89");
        CHECK(read_range(*s, "x/data", {10, {}}).empty());
        CHECK(s->open("x/data", {2, 3})->size() == 3);
    }
    SECTION("a large object streams through the sink in pieces") {
        const auto object = s->create("big/blob", Overwrite::never);
        std::string expected;
        for (int i = 0; i < 300; ++i) {
            const std::string piece(1000 + i, static_cast<char>('a' + i % 26));
            object->sink().write(piece.data(), piece.size());
            expected += piece;
        }
        object->sink().finish();
        object->publish();
        CHECK(s->read_all("big/blob") == expected);
    }
    SECTION("nothing is visible before publish, and an abandoned object leaves nothing") {
        {
            const auto object = s->create("db/pending.db", Overwrite::never);
            object->sink().write("partial", 7);
            CHECK_FALSE(s->stat("db/pending.db"));
            CHECK(s->list("db/").empty());
            CHECK(storage_error_code([&] { s->open("db/pending.db"); }) == "not_found");
        }
        CHECK_FALSE(s->stat("db/pending.db"));
        CHECK(s->list("db/").empty());
        CHECK(s->list("db/", Listing::leftovers).empty());
    }
    SECTION("an existing object is never overwritten unless replacing is asked for") {
        s->write_all("db/a.db", "first", Overwrite::never);
        CHECK(storage_error_code([&] { s->write_all("db/a.db", "second", Overwrite::never); }) == "exists");
        CHECK(s->read_all("db/a.db") == "first");
        s->write_all("db/a.db", "third", Overwrite::replace);
        CHECK(s->read_all("db/a.db") == "third");
    }
    SECTION("two writers racing for one key: the first publish wins, the second fails") {
        const auto one = s->create("race/k", Overwrite::never);
        const auto two = s->create("race/k", Overwrite::never);
        one->sink().write("one", 3);
        two->sink().write("two", 3);
        one->publish();
        CHECK(storage_error_code([&] { two->publish(); }) == "exists");
        CHECK(s->read_all("race/k") == "one");
    }
    SECTION("listing a prefix returns exactly its objects, sorted by key") {
        for (const char* key : {"db/b.db", "db/a.db", "db/a.db.manifest.json", "state/s.json", "journal.jsonl"}) {
            s->write_all(key, key, Overwrite::never);
        }
        CHECK(keys_of(s->list("db/")) == std::vector<std::string>{"db/a.db", "db/a.db.manifest.json", "db/b.db"});
        CHECK(keys_of(s->list("db/a")) == std::vector<std::string>{"db/a.db", "db/a.db.manifest.json"});
        CHECK(keys_of(s->list("state/")) == std::vector<std::string>{"state/s.json"});
        CHECK(s->list("nothing/").empty());
        CHECK(s->list("").size() == 5);
    }
    SECTION("removal is idempotent and takes the object out of every view") {
        s->write_all("db/a.db", "x", Overwrite::never);
        s->remove("db/a.db");
        CHECK_FALSE(s->stat("db/a.db"));
        CHECK(s->list("db/").empty());
        CHECK(storage_error_code([&] { s->open("db/a.db"); }) == "not_found");
        CHECK_NOTHROW(s->remove("db/a.db"));
        s->write_all("db/a.db", "again", Overwrite::never);
        CHECK(s->read_all("db/a.db") == "again");
    }
    SECTION("a missing object is not_found, and stat says nothing") {
        CHECK(storage_error_code([&] { s->open("no/such"); }) == "not_found");
        CHECK_FALSE(s->stat("no/such"));
    }
    SECTION("keys that could escape the storage are refused") {
        for (const char* key : {"", "../outside", "db/../../x", "/abs/path", "db/"}) {
            INFO(key);
            CHECK(storage_error_code([&] { s->create(key, Overwrite::never); }) == "usage");
        }
    }
    SECTION("appends grow an object in order, when the storage can append") {
        if (!s->has(Capability::append)) return;
        s->append("journal.jsonl", "one\n");
        s->append("journal.jsonl", "two\n");
        CHECK(s->read_all("journal.jsonl") == "one\ntwo\n");
    }
    SECTION("a lock is exclusive until released") {
        auto first = s->try_lock("lock", "pid 1 (backup db)");
        REQUIRE(first);
        CHECK_FALSE(s->try_lock("lock", "pid 2 (prune)"));
        first.reset();
        CHECK(s->try_lock("lock", "pid 2 (prune)"));
    }
    SECTION("a digest given at publish is what stat reports, exactly when the storage keeps digests") {
        const auto object = s->create("db/a.db", Overwrite::never);
        object->sink().write("hello", 5);
        object->set_sha256(sha256_hex("hello"));
        object->publish();
        s->write_all("db/b.db", "world", Overwrite::never);
        const bool keeps = s->has(Capability::stored_digests);
        CHECK(s->stat("db/a.db")->sha256 == (keeps ? sha256_hex("hello") : ""));
        CHECK(s->stat("db/b.db")->sha256 == (keeps ? sha256_hex("world") : ""));
    }
    SECTION("local paths exist exactly when the capability says so") {
        s->write_all("db/a.db", "x", Overwrite::never);
        CHECK(s->local_path("db/a.db").has_value() == s->has(Capability::local_paths));
    }
}
