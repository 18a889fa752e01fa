#include "storage/s3_objects.hpp"
#include "storage/s3_storage.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "s3_server.hpp"
#include "storage_conformance.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace soniabk;
using namespace soniabk::storage;

namespace {

std::unique_ptr<S3Storage> fresh_storage(const S3Settings& settings) {
    return std::make_unique<S3Storage>(settings, parse_s3_url(test::fresh_s3_url(settings)));
}

std::string pseudo_random_bytes(std::size_t size) {
    std::mt19937_64 random(42);
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(random());
    return bytes;
}

}  // namespace

TEST_CASE("s3_storage: passes the storage conformance suite against a real gateway") {
    SONIABK_REQUIRE_S3(settings);
    check_storage_conformance([&] { return fresh_storage(*settings); });
}

TEST_CASE("s3_storage: an object of several parts goes up as a multipart upload and reads back exactly") {
    SONIABK_REQUIRE_S3(settings);
    const auto s = fresh_storage(*settings);
    const std::string bytes = pseudo_random_bytes(2 * s3_part_bytes + 12345);
    const auto object = s->create("packs/big.pack", Overwrite::never);
    for (std::size_t at = 0; at < bytes.size(); at += 1 << 20) {
        object->sink().write(bytes.data() + at, std::min<std::size_t>(1 << 20, bytes.size() - at));
    }
    object->sink().finish();
    CHECK_FALSE(s->stat("packs/big.pack"));
    object->publish();
    REQUIRE(s->stat("packs/big.pack"));
    CHECK(s->stat("packs/big.pack")->size_bytes == bytes.size());
    CHECK(sha256_hex(s->read_all("packs/big.pack")) == sha256_hex(bytes));
    const std::uint64_t across = s3_read_chunk_bytes - 10;  // a range spanning two download chunks
    CHECK(read_range(*s, "packs/big.pack", {across, 20}) == bytes.substr(across, 20));
    CHECK(s->list("packs/", Listing::leftovers).empty());
}

TEST_CASE("s3_storage: a multipart object keeps its SHA-256 whether given before the upload began or only at publish") {
    SONIABK_REQUIRE_S3(settings);
    const auto s = fresh_storage(*settings);
    const std::string bytes = pseudo_random_bytes(s3_part_bytes + 4321);
    const bool given_first = GENERATE(true, false);
    INFO((given_first ? "given before the first byte" : "given at publish"));
    const auto object = s->create("packs/digested.pack", Overwrite::never);
    if (given_first) object->set_sha256(sha256_hex(bytes));
    object->sink().write(bytes.data(), bytes.size());
    if (!given_first) object->set_sha256(sha256_hex(bytes));
    object->publish();
    const auto stored = s->stat("packs/digested.pack");
    REQUIRE(stored);
    CHECK(stored->sha256 == sha256_hex(bytes));
    CHECK(stored->size_bytes == bytes.size());
    CHECK(sha256_hex(s->read_all("packs/digested.pack")) == sha256_hex(bytes));
    CHECK(s->list("packs/", Listing::leftovers).empty());
}

TEST_CASE("s3_storage: the server refuses a body that does not match its Content-MD5, so uploads need no read-back") {
    SONIABK_REQUIRE_S3(settings);
    const auto s = fresh_storage(*settings);
    CHECK(s->has(Capability::checked_uploads));
    const S3Request damaged{"PUT", s->full_key("db/damaged.db"), {}, {{"Content-MD5", content_md5("what was meant")}}, "what arrived"};
    const S3Response refused = s->client().send(damaged);
    CHECK(refused.status == 400);
    CHECK(s3_error_code(refused.body) == "BadDigest");
    CHECK_FALSE(s->stat("db/damaged.db"));
}

TEST_CASE("s3_storage: a writer killed mid-upload leaves a leftover that removal aborts") {
    SONIABK_REQUIRE_S3(settings);
    const auto s = fresh_storage(*settings);
    auto object = s->create("db/killed.db", Overwrite::never);
    const std::string part = pseudo_random_bytes(s3_part_bytes + 1);
    object->sink().write(part.data(), part.size());
    // What a kill leaves: the upload begun, never completed nor aborted (kept reachable, so no leak is reported).
    static NewObject* const killed = object.release();
    CHECK(killed != nullptr);
    CHECK_FALSE(s->stat("db/killed.db"));
    CHECK(s->list("db/").empty());
    const auto leftovers = s->list("db/", Listing::leftovers);
    REQUIRE(leftovers.size() == 1);
    CHECK(leftovers[0].key.starts_with("db/.killed.db.tmp-upload-"));
    s->remove(leftovers[0].key);
    CHECK(s->list("db/", Listing::leftovers).empty());
    CHECK_NOTHROW(s->remove(leftovers[0].key));
}

TEST_CASE("s3_storage: a lock whose holder stopped refreshing it is taken over, a live one is not") {
    SONIABK_REQUIRE_S3(settings);
    const auto s = fresh_storage(*settings);
    const auto long_ago = *parse_iso8601("2026-01-01T00:00:00Z");
    s->write_all(".lock", s3_lock_body("soniabk pid 1 (backup db)", long_ago), Overwrite::never);
    auto lock = s->try_lock(".lock", "soniabk pid 2 (prune)\n");
    REQUIRE(lock);
    CHECK(s->read_all(".lock").starts_with("soniabk pid 2 (prune)\nexpires "));
    CHECK_FALSE(s->try_lock(".lock", "soniabk pid 3 (backup db)\n"));
    lock.reset();
    CHECK_FALSE(s->stat(".lock"));
}

TEST_CASE("s3_storage: wrong credentials and a missing bucket are one clear error each") {
    SONIABK_REQUIRE_S3(settings);
    S3Settings wrong = *settings;
    wrong.secret_key = "not-the-secret";
    wrong.retry_budget = std::chrono::seconds(2);
    const S3Storage denied(wrong, parse_s3_url(test::fresh_s3_url(*settings)));
    CHECK(storage_error_code([&] { denied.list("db/"); }) == "permission_denied");
    const S3Storage missing(*settings, parse_s3_url("s3://no-such-bucket-for-soniabk/x"));
    CHECK(storage_error_code([&] { missing.list("db/"); }) == "repo_missing");
}
