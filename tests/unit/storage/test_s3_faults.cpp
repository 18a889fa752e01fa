// S3 storage through the fault proxy in front of the real gateway: faults a retry fixes are retried (the proxy
// counts them), faults that outlast a short retry budget fail with one line, and a failed write publishes nothing.
#include "storage/s3_objects.hpp"
#include "storage/s3_storage.hpp"

#include "base/error.hpp"
#include "fault_proxy.hpp"
#include "s3_server.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::storage;
using soniabk::test::FaultKind;
using soniabk::test::FaultProxy;
using soniabk::test::FaultRule;

namespace {

// One repository, reached directly and through the proxy, whose retry budget is `budget`.
struct ProxiedRepository {
    ProxiedRepository(const S3Settings& settings, std::chrono::milliseconds budget)
        : url(parse_s3_url(test::fresh_s3_url(settings))), proxy(settings.endpoint), direct(settings, url),
          proxied(through_proxy(settings, budget), url) {}

    S3Settings through_proxy(S3Settings settings, std::chrono::milliseconds budget) const {
        settings.endpoint = proxy.endpoint();
        settings.retry_budget = budget;
        return settings;
    }

    S3Url url;
    FaultProxy proxy;
    S3Storage direct;
    S3Storage proxied;
};

// The error `action` throws, as "code: message".
template <typename Action>
std::string s3_fault_failure(Action action) {
    try {
        action();
    } catch (const Error& e) {
        return std::string(e.code()) + ": " + e.what();
    }
    return "no error";
}

void write_parts(NewObject& object, std::size_t size) {
    const std::string block(1 << 20, 'p');
    for (std::size_t at = 0; at < size; at += block.size()) object.sink().write(block.data(), std::min(block.size(), size - at));
    object.sink().finish();
}

}  // namespace

TEST_CASE("s3_faults: SlowDown on every PUT outlasts the retry budget: one line naming the object, nothing published") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedRepository repo(*settings, std::chrono::milliseconds(1500));
    const std::size_t rule = repo.proxy.add({.kind = FaultKind::slow_down, .method = "PUT", .times = FaultRule::always});
    const std::string failure = s3_fault_failure([&] { repo.proxied.write_all("db/slow.db", "bytes", Overwrite::never); });
    INFO(failure);
    CHECK(failure.starts_with("http_status: " + repo.direct.location("db/slow.db").string() + ": PUT failed: HTTP 503, SlowDown"));
    CHECK(failure.find('\n') == std::string::npos);
    CHECK(repo.proxy.fired(rule) >= 2);
    CHECK_FALSE(repo.direct.stat("db/slow.db"));
}

TEST_CASE("s3_faults: downloads cut short on every attempt fail once the budget is spent, naming the object") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedRepository repo(*settings, std::chrono::milliseconds(1500));
    repo.direct.write_all("db/cut.db", std::string(100000, 'c'), Overwrite::never);
    const std::size_t rule = repo.proxy.add({.kind = FaultKind::truncate, .method = "GET", .target = "/db/cut.db", .times = FaultRule::always});
    const std::string failure = s3_fault_failure([&] { repo.proxied.read_all("db/cut.db"); });
    INFO(failure);
    CHECK(failure.starts_with("timeout: " + repo.direct.location("db/cut.db").string() + ": GET "));
    CHECK(failure.find("the connection dropped") != std::string::npos);
    CHECK(repo.proxy.fired(rule) >= 2);
}

TEST_CASE("s3_faults: a multipart completion answered 200 with an error is retried, and the object reads back whole") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedRepository repo(*settings, std::chrono::seconds(20));
    const std::size_t rule = repo.proxy.add({.kind = FaultKind::error_in_200, .method = "POST", .target = "uploadId="});
    auto object = repo.proxied.create("packs/retried.pack", Overwrite::never);
    write_parts(*object, s3_part_bytes + 4096);
    object->publish();
    CHECK(repo.proxy.fired(rule) == 1);
    CHECK(repo.proxy.seen("POST", "uploadId=") == 2);
    REQUIRE(repo.direct.stat("packs/retried.pack"));
    CHECK(repo.direct.stat("packs/retried.pack")->size_bytes == s3_part_bytes + 4096);
}

TEST_CASE("s3_faults: a multipart completion that keeps answering 200 with an error fails, and its upload is aborted") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedRepository repo(*settings, std::chrono::milliseconds(1500));
    const std::size_t rule = repo.proxy.add({.kind = FaultKind::error_in_200, .method = "POST", .target = "uploadId=", .times = FaultRule::always});
    std::string failure;
    {
        auto object = repo.proxied.create("packs/failed.pack", Overwrite::never);
        write_parts(*object, s3_part_bytes + 4096);
        failure = s3_fault_failure([&] { object->publish(); });
    }
    INFO(failure);
    CHECK(failure.starts_with("http_status: " + repo.direct.location("packs/failed.pack").string() + ": POST failed: HTTP 200, InternalError"));
    CHECK(repo.proxy.fired(rule) >= 2);
    CHECK(repo.proxy.seen("DELETE", "uploadId=") == 1);
    CHECK_FALSE(repo.direct.stat("packs/failed.pack"));
    CHECK(repo.direct.list("packs/", Listing::leftovers).empty());
}

TEST_CASE("s3_faults: a host that does not resolve is unreachable, one line naming the repository") {
    SONIABK_REQUIRE_S3(settings);
    S3Settings nowhere = *settings;
    nowhere.endpoint = "http://no-such-host.invalid";
    nowhere.retry_budget = std::chrono::milliseconds(500);
    const S3Url url = parse_s3_url(test::fresh_s3_url(*settings));
    const S3Storage storage(nowhere, url);
    const std::string failure = s3_fault_failure([&] { storage.list("db/"); });
    INFO(failure);
    CHECK(failure == "unreachable: " + storage.location("db").string() + "/: GET http://" + url.bucket +
                         ".no-such-host.invalid: connection refused or host unreachable");
    CHECK(failure.find('\n') == std::string::npos);
}

TEST_CASE("s3_faults: a PUT stored but whose answer was lost is retried into its own object, not reported as existing") {
    SONIABK_REQUIRE_S3(settings);
    ProxiedRepository repo(*settings, std::chrono::milliseconds(10000));
    const std::size_t rule = repo.proxy.add({.kind = FaultKind::reset, .method = "PUT", .target = "db/lost\\.db$"});
    repo.proxied.write_all("db/lost.db", "the bytes", Overwrite::never);
    CHECK(repo.proxy.fired(rule) == 1);
    CHECK(repo.proxy.seen("PUT", "db/lost\\.db$") == 2);
    CHECK(repo.direct.read_all("db/lost.db") == "the bytes");
    CHECK(s3_fault_failure([&] { repo.proxied.write_all("db/lost.db", "other bytes", Overwrite::never); }).starts_with("exists: "));
    CHECK(repo.direct.read_all("db/lost.db") == "the bytes");
}
