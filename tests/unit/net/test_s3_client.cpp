#include "base/error.hpp"
#include "local_http_server.hpp"
#include "net/s3_client.hpp"
#include "net/trace.hpp"
#include "temp_dir.hpp"
#include "tls_identity.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>

using namespace soniabk;

namespace {

struct SeenRequest {
    std::string method;
    std::string path;
    httplib::Headers headers;
    std::string body;
};

// A real HTTP server on 127.0.0.1 (an ephemeral port) answering every request through `answer`.
class ScriptedServer {
public:
    using Answer = std::function<void(const httplib::Request&, httplib::Response&)>;
    explicit ScriptedServer(Answer answer) : answer_(std::move(answer)), server_(recording()) {}
    ScriptedServer(Answer answer, const test::TlsIdentity& identity) : answer_(std::move(answer)), server_(recording(), identity) {}
    std::string endpoint() const { return server_.endpoint(); }
    std::vector<SeenRequest> seen() const {
        const std::lock_guard guard(mutex_);
        return seen_;
    }

private:
    httplib::Server::Handler recording() {
        return [this](const httplib::Request& request, httplib::Response& response) {
            {
                const std::lock_guard guard(mutex_);
                seen_.push_back({request.method, request.path, request.headers, request.body});
            }
            answer_(request, response);
        };
    }

    Answer answer_;
    mutable std::mutex mutex_;
    std::vector<SeenRequest> seen_;
    test::LocalHttpServer server_;  // last: stopped before what its handler uses goes
};

S3Settings settings_for(const ScriptedServer& server) {
    S3Settings settings;
    settings.endpoint = server.endpoint();
    settings.access_key_id = "AKIDTEST";
    settings.secret_key = "secret";
    settings.retry_budget = std::chrono::seconds(3);
    return settings;
}

void s3_error(httplib::Response& response, int status, const std::string& code) {
    response.status = status;
    response.set_content("<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>said by the test</Message></Error>",
                         "application/xml");
}

std::string failure_of(const S3Client& client, const S3Request& request) {
    const S3Response response = client.send(request);
    try {
        client.fail(request, response);
    } catch (const Error& e) {
        return std::string(e.code()) + ": " + e.what();
    }
    return "no error";
}

// Every request attempt the client makes, from its -vv lines; the process's HTTP trace for the test's span.
class AttemptLog final : public Trace {
public:
    AttemptLog() { trace_http(*this); }
    ~AttemptLog() override { trace_http(no_trace()); }
    TraceLevel level() const override { return TraceLevel::detail; }
    void write(std::string_view line) override {
        const std::lock_guard guard(mutex_);
        lines_.emplace_back(line);
    }
    std::size_t attempts() const {
        const std::lock_guard guard(mutex_);
        return lines_.size();
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

std::string error_of(const std::function<void()>& run) {
    try {
        run();
    } catch (const Error& e) {
        return std::string(e.code()) + ": " + e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("s3_client: s3:// URLs name a bucket and a prefix, and malformed ones are refused") {
    CHECK(parse_s3_url("s3://sonia-backups/nightly/db/").prefix == "nightly/db");
    CHECK(parse_s3_url("s3://sonia-backups").bucket == "sonia-backups");
    CHECK(parse_s3_url("s3://sonia-backups").prefix.empty());
    for (const char* bad : {"s3://", "s3://AB", "s3://Bad_Bucket/x", "s3://ok-bucket//x", "/local/path"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_s3_url(bad), Error);
    }
}

TEST_CASE("s3_client: a request is path-style on an IP endpoint, signed over its real payload hash") {
    ScriptedServer server([](const httplib::Request&, httplib::Response& response) { response.status = 200; });
    const S3Client client(settings_for(server), "bucket");
    const S3Response response = client.send({"PUT", "db/a b.db", {}, {{"Content-MD5", content_md5("hello")}}, "hello"});
    CHECK(response.status == 200);
    const auto seen = server.seen();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].path == "/bucket/db/a b.db");  // the server decodes what was sent as /bucket/db/a%20b.db
    CHECK(seen[0].body == "hello");
    CHECK(seen[0].headers.find("x-amz-content-sha256")->second == sha256_hex("hello"));
    CHECK(seen[0].headers.find("Content-MD5")->second == "XUFAKrxLKna5cZ2REBfFkg==");
    CHECK(seen[0].headers.find("Authorization")->second.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
}

TEST_CASE("s3_client: 503 SlowDown, 500 and 429 are retried until the server answers") {
    std::atomic<int> calls{0};
    ScriptedServer server([&](const httplib::Request&, httplib::Response& response) {
        const int n = ++calls;
        if (n == 1) return s3_error(response, 503, "SlowDown");
        if (n == 2) return s3_error(response, 500, "InternalError");
        if (n == 3) return s3_error(response, 429, "TooManyRequests");
        response.status = 200;
        response.set_content("done", "text/plain");
    });
    const S3Client client(settings_for(server), "bucket");
    const S3Response response = client.send({"GET", "k", {}, {}, {}});
    CHECK(response.status == 200);
    CHECK(response.body == "done");
    CHECK(calls == 4);
}

TEST_CASE("s3_client: a server that keeps failing is given up on when the retry budget is spent") {
    std::atomic<int> calls{0};
    ScriptedServer server([&](const httplib::Request&, httplib::Response& response) {
        ++calls;
        s3_error(response, 503, "SlowDown");
    });
    S3Settings settings = settings_for(server);
    settings.retry_budget = std::chrono::milliseconds(700);
    const S3Client client(settings, "bucket");
    const auto started = std::chrono::steady_clock::now();
    CHECK(client.send({"GET", "k", {}, {}, {}}).status == 503);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    CHECK(calls >= 2);
}

TEST_CASE("s3_client: each kind of refusal is one line naming the object and the problem") {
    std::string code;
    int status = 0;
    ScriptedServer server([&](const httplib::Request&, httplib::Response& response) {
        if (code.empty()) {
            response.status = status;
            response.set_content("<html>not found</html>", "text/html");
        } else {
            s3_error(response, status, code);
        }
    });
    const S3Client client(settings_for(server), "bucket");
    const S3Request get{"GET", "db/a.db", {}, {}, {}};
    code = "SignatureDoesNotMatch", status = 403;
    CHECK(failure_of(client, get).starts_with("permission_denied: s3://bucket/db/a.db: access denied (SignatureDoesNotMatch"));
    code = "RequestTimeTooSkewed", status = 403;
    CHECK(failure_of(client, get).starts_with("clock_skew: s3://bucket/db/a.db: this machine's clock differs"));
    code = "NoSuchBucket", status = 404;
    CHECK(failure_of(client, get).starts_with("repo_missing: s3://bucket: no such bucket"));
    code = "", status = 404;
    CHECK(failure_of(client, get) ==
          "http_status: s3://bucket/db/a.db: GET answered HTTP 404 without an S3 error (is " + server.endpoint() +
              " an S3 endpoint?)");
}

TEST_CASE("s3_client: an endpoint where nothing listens is unreachable once the budget is spent") {
    S3Settings settings;
    settings.endpoint = "http://127.0.0.1:1";  // tcpmux's port: nothing listens there
    settings.retry_budget = std::chrono::milliseconds(500);
    const S3Client client(settings, "bucket");
    try {
        client.send({"GET", "k", {}, {}, {}});
        FAIL("no error");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(std::string(e.code()) == "unreachable");
        CHECK(std::string(e.what()).starts_with("s3://bucket/k: GET http://127.0.0.1:1: "));
    }
}

TEST_CASE("s3_client: an https endpoint whose TLS fails is one tls error at once, never retried") {
    ScriptedServer server([](const httplib::Request&, httplib::Response& response) { response.status = 200; });
    S3Settings settings = settings_for(server);
    settings.endpoint = "https://" + server.endpoint().substr(std::string_view("http://").size());  // TLS to a plain-HTTP port
    settings.retry_budget = std::chrono::seconds(20);
    const S3Client client(settings, "bucket");
    const AttemptLog log;
    const auto started = std::chrono::steady_clock::now();
    const std::string failure = error_of([&] { client.send({"GET", "k", {}, {}, {}}); });
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(failure.starts_with("tls: s3://bucket/k: GET " + settings.endpoint + ": TLS failed"));
    CHECK(failure.find("AWS_CA_BUNDLE") != std::string::npos);
    CHECK(log.attempts() == 1);
}

TEST_CASE("s3_client: a 200 answer that is not the XML asked for fails, asking whether the endpoint is S3") {
    const std::string body = GENERATE(std::string("<html><body>a router's login page</body></html>"),
                                      std::string("{\"not\": \"xml\"}"));
    ScriptedServer server([&](const httplib::Request&, httplib::Response& response) {
        response.status = 200;
        response.set_content(body, "text/html");
    });
    const S3Client client(settings_for(server), "bucket");
    const S3Request list{"GET", "", {{"list-type", "2"}}, {}, {}};
    const S3Response response = client.send(list);
    REQUIRE(response.status == 200);
    INFO(body);
    CHECK(error_of([&] { client.expect_xml(list, response, "ListBucketResult"); }) ==
          "http_status: s3://bucket: GET answered HTTP 200 without an S3 error (is " + server.endpoint() + " an S3 endpoint?)");
}

TEST_CASE("s3_client: https is trusted through the CA bundle named, and refused without it") {
    const test::TempDir dir;
    const test::TlsIdentity identity = test::make_tls_identity(dir.path());
    ScriptedServer server(
        [](const httplib::Request&, httplib::Response& response) {
            response.status = 200;
            response.set_content("over tls", "text/plain");
        },
        identity);
    REQUIRE(server.endpoint().starts_with("https://127.0.0.1:"));
    S3Settings settings = settings_for(server);
    settings.ca_bundle = identity.certificate.string();
    const S3Client trusting(settings, "bucket");
    const S3Response response = trusting.send({"GET", "k", {}, {}, {}});
    CHECK(response.status == 200);
    CHECK(response.body == "over tls");

    // The system's store knows nothing of this test's CA: one tls error, naming where a private CA goes.
    settings.ca_bundle.clear();
    const S3Client system_store(settings, "bucket");
    const AttemptLog log;
    const std::string failure = error_of([&] { system_store.send({"GET", "k", {}, {}, {}}); });
    CHECK(failure.starts_with("tls: s3://bucket/k: GET " + server.endpoint() + ": TLS failed"));
    CHECK(failure.find("AWS_CA_BUNDLE") != std::string::npos);
    CHECK(log.attempts() == 1);
}
