// Requests to an S3-compatible object store: addressed (path-style or virtual-hosted), signed with SigV4 over
// the real payload hash, retried with capped exponential backoff and jitter within a time budget, and failed
// with one line naming the bucket and what the server said.
#pragma once

#include "base/clock.hpp"
#include "io/hash.hpp"
#include "net/sigv4.hpp"
#include "net/xml.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

// How to reach the store: the environment's AWS_* variables (the AWS CLI's names) or the config's [s3] table.
struct S3Settings {
    std::string endpoint;  // "http://127.0.0.1:7480"; empty: AWS's own for the region
    std::string region = "us-east-1";
    std::optional<bool> path_style;  // unset: path-style for an IP or localhost endpoint, virtual-hosted otherwise
    std::string access_key_id;
    std::string secret_key;
    std::string session_token;
    std::string ca_bundle;  // a PEM file of the CAs to trust for https instead of the system's store; empty: the system's
    Duration timeout = std::chrono::seconds(30);       // connect, and each read or write: a stalled transfer fails
    Duration retry_budget = std::chrono::seconds(60);  // every attempt of one request, backoff included
};

// s3_settings_from_environment and the config's [s3] table: net/s3_config.hpp.

// "s3://BUCKET/PREFIX": the bucket and the key prefix (no leading or trailing '/', may be empty).
struct S3Url {
    std::string bucket;
    std::string prefix;
};
bool is_s3_url(std::string_view text);
// Throws `usage` for a malformed one.
S3Url parse_s3_url(std::string_view text);

struct S3Request {
    std::string method;
    std::string key;  // the object's whole key in the bucket, not encoded; empty for the bucket itself
    std::vector<HttpField> query;
    std::vector<HttpField> headers;  // beyond Host and the signature's
    std::string body;
};

struct S3Response {
    int status = 0;
    std::string body;
    std::vector<HttpField> headers;  // names lowercase

    std::string header(std::string_view lowercase_name) const;
};

class S3Client {
public:
    S3Client(S3Settings settings, std::string bucket);
    ~S3Client();

    // Sends `request`, retrying what a retry can fix (5xx, 408, 429, resets, timeouts) within the budget. Any
    // other answer is returned; transport failures that outlast the budget throw `unreachable` / `timeout`.
    S3Response send(const S3Request& request) const;
    // Throws the error `response` (not a success) stands for: `permission_denied`, `clock_skew`,
    // `repo_missing` (no such bucket), `not_found`, or `http_status` for what is not S3's answer at all.
    [[noreturn]] void fail(const S3Request& request, const S3Response& response) const;
    // The answer's document: a 200 whose XML root is `root`. Anything else, a web page or an <Error> sent with
    // a 200 included, fails as fail() does, asking whether the endpoint is S3 at all.
    XmlElement expect_xml(const S3Request& request, const S3Response& response, std::string_view root) const;
    // "s3://bucket/key" for messages.
    std::string describe(std::string_view key = {}) const;
    // The object a request is about, or for a listing its prefix.
    std::string describe(const S3Request& request) const;
    // x-amz-copy-source's value for an object of this bucket: "bucket/key", encoded.
    std::string copy_source(std::string_view key) const;

private:
    struct Connections;
    S3Response attempt(const S3Request& request) const;

    S3Settings settings_;
    std::string bucket_;
    std::string scheme_host_;  // where requests go: "https://bucket.s3.eu-west-1.amazonaws.com"
    std::string host_;         // the Host header
    std::string path_prefix_;  // "/bucket" for path-style, "" otherwise
    std::unique_ptr<Connections> connections_;
};

// The <Code> of an S3 <Error> body; empty for any other body.
std::string s3_error_code(const std::string& body);

// Content-MD5's value: base64 of the body's MD5, which the server checks the body against.
std::string content_md5(std::string_view body);
// The ETag S3 gives an object stored by one PUT of `body`: its MD5 in hex, quoted.
std::string single_put_etag(std::string_view body);

}  // namespace soniabk
