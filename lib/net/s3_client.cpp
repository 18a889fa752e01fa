#include "net/s3_client.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "net/trace.hpp"
#include "net/xml.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

namespace soniabk {

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// An IP address or localhost cannot carry the bucket as a subdomain.
bool needs_path_style(std::string_view host) {
    const std::string_view name = host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':'));
    if (name == "localhost" || name.starts_with('[')) return true;
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// Timeouts, throttling (429, and 503 SlowDown) and server faults pass; anything else would fail again.
bool is_retryable_status(int status) { return status == 408 || status == 429 || status >= 500; }

// The most a download reserves ahead of its bytes, whatever Content-Length claims: the reader asks for 8 MiB.
constexpr std::uint64_t max_reserved_body = std::uint64_t{64} << 20;

// What the server said in an <Error> body: its code and message, or empty when the body is not S3's.
struct ServerError {
    std::string code;
    std::string message;
};

ServerError server_error(const std::string& body) {
    try {
        const XmlElement root = parse_xml(body);
        if (root.name == "Error") return {root.child_text("Code"), root.child_text("Message")};
    } catch (const Error&) {
    }
    return {};
}

// Bodies go out from the request's own bytes and come in to one buffer sized by Content-Length: a 16 MiB part
// is never copied, and a download never regrows its buffer.
httplib::Result exchange(httplib::Client& client, const S3Request& request, const httplib::Request& http, std::string& received) {
    const std::string& body = request.body;
    const auto provide = [&body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(body.data() + offset, std::min(length, stream_chunk_bytes));
    };
    const auto sized = [&received](const httplib::Response& response) {
        std::uint64_t length = 0;
        const std::string text = response.get_header_value("Content-Length");
        std::from_chars(text.data(), text.data() + text.size(), length);
        received.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(length, max_reserved_body)));
        return true;
    };
    const auto receive = [&received](const char* data, std::size_t size) {
        received.append(data, size);
        return true;
    };
    constexpr const char* octets = "application/octet-stream";
    if (request.method == "GET") return client.Get(http.path, http.headers, sized, receive);
    if (request.method == "HEAD") return client.Head(http.path, http.headers);
    if (request.method == "DELETE") return client.Delete(http.path, http.headers);
    if (body.empty()) return request.method == "PUT" ? client.Put(http.path, http.headers, "", octets) : client.Post(http.path, http.headers, "", octets);
    if (request.method == "PUT") return client.Put(http.path, http.headers, body.size(), provide, octets);
    if (request.method == "POST") return client.Post(http.path, http.headers, body.size(), provide, octets);
    throw runtime_error(ErrorCode::internal, fmt::format("S3 request method {} is not one soniabk sends", request.method));
}

// A POST (CompleteMultipartUpload) can fail after its 200 went out, the body then an <Error>: a server fault is
// retried as its 500 would be. Only a POST's: an object a GET reads may hold any bytes, an S3 error document too.
// A certificate the store does not trust fails the same way every time: retrying only delays the one line.
bool is_tls_failure(httplib::Error error) {
    return error == httplib::Error::SSLConnection || error == httplib::Error::SSLLoadingCerts ||
           error == httplib::Error::SSLServerVerification;
}

bool is_error_in_200(const S3Request& request, const S3Response& response) {
    if (request.method != "POST" || response.status != 200) return false;
    const std::string code = server_error(response.body).code;
    return code == "InternalError" || code == "SlowDown" || code == "ServiceUnavailable";
}

}  // namespace

bool is_s3_url(std::string_view text) { return text.starts_with("s3://"); }

S3Url parse_s3_url(std::string_view text) {
    if (!is_s3_url(text)) throw usage_error(fmt::format("'{}' is not an s3://BUCKET/PREFIX URL", text));
    std::string_view rest = text.substr(5);
    const std::size_t slash = rest.find('/');
    S3Url url{std::string(rest.substr(0, slash)), slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1))};
    while (url.prefix.ends_with('/')) url.prefix.pop_back();
    const bool bucket_ok = url.bucket.size() >= 3 && url.bucket.size() <= 63 &&
                           std::all_of(url.bucket.begin(), url.bucket.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                           });
    if (!bucket_ok) throw usage_error(fmt::format("'{}': '{}' is not a bucket name (3-63 of a-z 0-9 . -)", text, url.bucket));
    if (url.prefix.starts_with('/') || url.prefix.find("//") != std::string::npos) {
        throw usage_error(fmt::format("'{}': the prefix has an empty path segment", text));
    }
    return url;
}

std::string S3Response::header(std::string_view lowercase_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lowercase_name) return value;
    }
    return {};
}

// Kept-alive connections, each used by one request at a time: a reader's prefetches and a lock's refreshes run
// beside the main thread's requests, each on a connection of its own.
struct S3Client::Connections {
    Connections(std::string where, Duration limit, std::string ca_file)
        : scheme_host(std::move(where)), timeout(limit), ca_bundle(std::move(ca_file)) {}

    std::unique_ptr<httplib::Client> take() {
        {
            const std::lock_guard guard(mutex);
            if (!idle.empty()) {
                auto client = std::move(idle.back());
                idle.pop_back();
                return client;
            }
        }
        auto client = std::make_unique<httplib::Client>(scheme_host);
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
        client->set_connection_timeout(seconds, 0);
        client->set_read_timeout(seconds, 0);
        client->set_write_timeout(seconds, 0);
        client->set_follow_location(false);
        client->set_keep_alive(true);
        if (!ca_bundle.empty()) client->set_ca_cert_path(ca_bundle);
        return client;
    }
    void give_back(std::unique_ptr<httplib::Client> client) {
        const std::lock_guard guard(mutex);
        idle.push_back(std::move(client));
    }

    const std::string scheme_host;
    const Duration timeout;
    const std::string ca_bundle;
    std::mutex mutex;
    std::vector<std::unique_ptr<httplib::Client>> idle;
};

S3Client::S3Client(S3Settings settings, std::string bucket) : settings_(std::move(settings)), bucket_(std::move(bucket)) {
    std::string endpoint = settings_.endpoint.empty() ? fmt::format("https://s3.{}.amazonaws.com", settings_.region) : settings_.endpoint;
    while (endpoint.ends_with('/')) endpoint.pop_back();
    const bool https = endpoint.starts_with("https://");
    if (!https && !endpoint.starts_with("http://")) {
        throw usage_error(fmt::format("S3 endpoint '{}' is not an http:// or https:// URL", endpoint));
    }
    const std::string scheme = https ? "https://" : "http://";
    const std::string host = endpoint.substr(scheme.size());
    if (host.empty() || host.find('/') != std::string::npos) {
        throw usage_error(fmt::format("S3 endpoint '{}' must be scheme://host[:port], with no path", endpoint));
    }
    const bool path_style = settings_.path_style.value_or(needs_path_style(host));
    host_ = path_style ? host : bucket_ + "." + host;
    path_prefix_ = path_style ? "/" + bucket_ : "";
    scheme_host_ = scheme + host_;
    connections_ = std::make_unique<Connections>(scheme_host_, settings_.timeout, settings_.ca_bundle);
}

S3Client::~S3Client() = default;

std::string S3Client::describe(std::string_view key) const {
    return key.empty() ? fmt::format("s3://{}", bucket_) : fmt::format("s3://{}/{}", bucket_, key);
}

std::string S3Client::describe(const S3Request& request) const {
    if (!request.key.empty()) return describe(request.key);
    for (const auto& [name, value] : request.query) {
        if (name == "prefix") return describe(value);  // a listing: the prefix is the repository (or a part of it)
    }
    return describe();
}

std::string S3Client::copy_source(std::string_view key) const {
    return sigv4_uri_encode(bucket_ + "/" + std::string(key), Slash::kept);
}

S3Response S3Client::attempt(const S3Request& request) const {
    SigV4Request to_sign;
    to_sign.method = request.method;
    to_sign.path = path_prefix_ + "/" + request.key;
    to_sign.query = request.query;
    to_sign.headers = request.headers;
    to_sign.headers.emplace_back("Host", host_);
    to_sign.payload_sha256 = sha256_hex(request.body);
    const SigV4Credentials credentials{settings_.access_key_id, settings_.secret_key, settings_.session_token,
                                       settings_.region, "s3"};
    const SigV4Signature signature = sign_sigv4(to_sign, credentials, std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()));

    httplib::Request http;
    http.method = request.method;
    http.path = sigv4_uri_encode(to_sign.path, Slash::kept);
    std::string query;
    for (const auto& [name, value] : request.query) {
        query += (query.empty() ? "?" : "&") + sigv4_uri_encode(name, Slash::encoded);
        if (!value.empty()) query += "=" + sigv4_uri_encode(value, Slash::encoded);
    }
    http.path += query;
    for (const auto& [name, value] : request.headers) http.headers.emplace(name, value);
    for (const auto& [name, value] : signature.headers) http.headers.emplace(name, value);

    std::unique_ptr<httplib::Client> connection = connections_->take();
    const auto started = std::chrono::steady_clock::now();
    std::string received;
    httplib::Result result = exchange(*connection, request, http, received);
    connections_->give_back(std::move(connection));
    if (http_trace().wants(TraceLevel::detail)) {  // the request line and answer only: never a header, so never a secret
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        http_trace().write(fmt::format("http {} {}{} -> {} ({:.3f}s)", request.method, scheme_host_, http.path,
                                       result ? fmt::format("HTTP {}", result->status) : httplib::to_string(result.error()), seconds));
    }
    if (!result) {
        const httplib::Error error = result.error();
        const bool timed_out = error == httplib::Error::ConnectionTimeout || error == httplib::Error::Read;
        if (is_tls_failure(error)) {
            const std::string trusted = settings_.ca_bundle.empty()
                                            ? "the system's CA store (for a private CA, name its PEM file in [s3] ca_bundle or AWS_CA_BUNDLE)"
                                            : "the CAs in " + settings_.ca_bundle;
            throw runtime_error(ErrorCode::tls, fmt::format("{}: {} {}: TLS failed ({}); the server's certificate is checked against {}",
                                                            describe(request), request.method, scheme_host_, httplib::to_string(error), trusted));
        }
        const std::string what = error == httplib::Error::Connection ? "connection refused or host unreachable"
                                 : timed_out ? fmt::format("no answer within {}, or the connection dropped", format_duration(settings_.timeout))
                                             : httplib::to_string(error);
        throw runtime_error(timed_out ? ErrorCode::timeout : ErrorCode::unreachable,
                            fmt::format("{}: {} {}: {}", describe(request), request.method, scheme_host_, what));
    }
    S3Response response{result->status, request.method == "GET" ? std::move(received) : std::move(result->body), {}};
    for (const auto& [name, value] : result->headers) response.headers.emplace_back(lowercase(name), value);
    return response;
}

S3Response S3Client::send(const S3Request& request) const {
    const auto deadline = std::chrono::steady_clock::now() + settings_.retry_budget;
    std::minstd_rand jitter(std::random_device{}());
    Duration backoff = std::chrono::milliseconds(100);
    for (;;) {
        std::optional<Error> transport;
        S3Response response;
        try {
            response = attempt(request);
        } catch (const Error& e) {
            if (e.code_id() == ErrorCode::tls) throw;
            transport = e;
        }
        if (!transport && !is_retryable_status(response.status) && !is_error_in_200(request, response)) return response;
        // Full jitter: a sleep anywhere up to the capped backoff spreads retrying clients apart.
        const Duration sleep(std::uniform_int_distribution<Duration::rep>(backoff.count() / 2, backoff.count())(jitter));
        if (std::chrono::steady_clock::now() + sleep >= deadline) {
            if (transport) throw *transport;
            return response;
        }
        std::this_thread::sleep_for(sleep);
        backoff = std::min<Duration>(backoff * 2, std::chrono::seconds(5));
    }
}

void S3Client::fail(const S3Request& request, const S3Response& response) const {
    const ServerError said = server_error(response.body);
    const std::string where = describe(request);
    const std::string detail = said.message.empty() ? said.code : fmt::format("{}: {}", said.code, said.message);
    if (said.code.empty()) {
        throw runtime_error(ErrorCode::http_status,
                            fmt::format("{}: {} answered HTTP {} without an S3 error (is {} an S3 endpoint?)", where,
                                        request.method, response.status, scheme_host_));
    }
    if (said.code == "RequestTimeTooSkewed") {
        throw runtime_error(ErrorCode::clock_skew,
                            fmt::format("{}: this machine's clock differs from the server's too much ({}); fix the clock", where, detail));
    }
    if (said.code == "NoSuchBucket") {
        throw runtime_error(ErrorCode::repo_missing, fmt::format("s3://{}: no such bucket ({})", bucket_, detail));
    }
    if (said.code == "NoSuchKey" || said.code == "NoSuchUpload") {
        throw runtime_error(ErrorCode::not_found, fmt::format("{}: no such object", where));
    }
    if (response.status == 403 || said.code == "InvalidAccessKeyId" || said.code == "SignatureDoesNotMatch") {
        throw runtime_error(ErrorCode::permission_denied,
                            fmt::format("{}: access denied ({}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", where, detail));
    }
    throw runtime_error(ErrorCode::http_status, fmt::format("{}: {} failed: HTTP {}, {}", where, request.method, response.status, detail));
}

XmlElement S3Client::expect_xml(const S3Request& request, const S3Response& response, std::string_view root) const {
    if (response.status == 200) {
        try {
            XmlElement document = parse_xml(response.body);
            if (document.name == root) return document;
        } catch (const Error&) {
            // Not XML: fail() below names the endpoint as perhaps not S3's.
        }
    }
    fail(request, response);
}

std::string s3_error_code(const std::string& body) { return server_error(body).code; }

namespace {

std::string md5_of(std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(body.data(), body.size(), digest, &size, EVP_md5(), nullptr) != 1) {
        throw runtime_error(ErrorCode::internal, "MD5 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

std::string content_md5(std::string_view body) {
    const std::string digest = md5_of(body);
    std::string encoded(4 * ((digest.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                  reinterpret_cast<const unsigned char*>(digest.data()), static_cast<int>(digest.size()));
    encoded.resize(static_cast<std::size_t>(n));
    return encoded;
}

std::string single_put_etag(std::string_view body) {
    std::string etag = "\"";
    for (const unsigned char byte : md5_of(body)) etag += fmt::format("{:02x}", byte);
    return etag + "\"";
}


}  // namespace soniabk
