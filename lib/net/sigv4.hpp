// AWS Signature Version 4: the headers that authenticate one HTTP request to S3 (or another AWS service).
#pragma once

#include "base/clock.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soniabk {

using HttpField = std::pair<std::string, std::string>;  // name, value

struct SigV4Request {
    std::string method;              // "GET", "PUT", ...
    std::string path = "/";          // absolute and not yet encoded: "/bucket/key"
    std::vector<HttpField> query;    // not yet encoded, in any order; a valueless one ("uploads") has ""
    std::vector<HttpField> headers;  // every header sent, Host among them; all are signed
    std::string payload_sha256;      // lowercase hex SHA-256 of the body (the caller hashes it)
};

struct SigV4Credentials {
    std::string access_key_id;
    std::string secret_key;
    std::string session_token;  // temporary credentials only; sent and signed as x-amz-security-token
    std::string region;
    std::string service = "s3";
};

struct SigV4Signature {
    std::string canonical_request;  // what is hashed and signed, for tests and -vv traces
    std::string string_to_sign;
    std::string signature;  // lowercase hex
    std::string authorization;
    // To add to the request: Authorization, x-amz-date, x-amz-content-sha256 (S3 only) and, with a session
    // token, x-amz-security-token.
    std::vector<HttpField> headers;
};

// Signs `request` as sent at `at`. The request must carry Host and none of the headers the signature adds.
// The path is encoded once, S3's rule (other services encode it twice and normalise "." segments; not done).
SigV4Signature sign_sigv4(const SigV4Request& request, const SigV4Credentials& credentials, TimePoint at);

// Whether '/' is left as it is (a path) or percent-encoded (a query name or value).
enum class Slash { kept, encoded };

// Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when kept), as SigV4 wants the path and query
// sent: the request's URL must be built with it.
std::string sigv4_uri_encode(std::string_view text, Slash slash);

}  // namespace soniabk
