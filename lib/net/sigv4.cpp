#include "net/sigv4.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace soniabk {

namespace {

constexpr std::string_view signing_algorithm = "AWS4-HMAC-SHA256";

using HmacBytes = std::array<unsigned char, 32>;

HmacBytes hmac_sha256(std::string_view key, std::string_view data) {
    HmacBytes mac{};
    std::size_t length = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                  reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), mac.size(),
                  &length) == nullptr ||
        length != mac.size()) {
        throw runtime_error(ErrorCode::crypto, "HMAC-SHA256 of a request signature failed");
    }
    return mac;
}

// Each step of the signing key's chain is keyed by the previous step's bytes.
std::string_view as_key(const HmacBytes& mac) { return {reinterpret_cast<const char*>(mac.data()), mac.size()}; }

bool is_unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

std::string ascii_lowercase(std::string text) {
    for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return text;
}

// Trimmed, with each run of spaces or tabs inside it made one space.
std::string canonical_header_value(std::string_view value) {
    std::string out;
    for (const char c : value) {
        if (c != ' ' && c != '\t') {
            out.push_back(c);
        } else if (!out.empty() && out.back() != ' ') {
            out.push_back(' ');
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// Encoded, then sorted by name and value; a valueless parameter is written "name=".
std::string canonical_query(const std::vector<HttpField>& query) {
    std::vector<HttpField> encoded;
    for (const auto& [name, value] : query) {
        encoded.emplace_back(sigv4_uri_encode(name, Slash::encoded), sigv4_uri_encode(value, Slash::encoded));
    }
    std::ranges::sort(encoded);
    std::string out;
    for (const auto& [name, value] : encoded) out += fmt::format("{}{}={}", out.empty() ? "" : "&", name, value);
    return out;
}

struct CanonicalHeaders {
    std::string lines;         // "name:value\n" for each header
    std::string signed_names;  // "host;x-amz-date"
};

// Names lowercased and sorted; a name sent more than once has its values joined by ',' in the order sent.
CanonicalHeaders canonical_headers(std::vector<HttpField> headers) {
    for (auto& [name, value] : headers) {
        name = ascii_lowercase(name);
        value = canonical_header_value(value);
    }
    std::ranges::stable_sort(headers, {}, &HttpField::first);
    CanonicalHeaders out;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const auto& [name, value] = headers[i];
        if (i > 0 && name == headers[i - 1].first) {
            out.lines.back() = ',';  // the previous line's '\n'
            out.lines += value + '\n';
            continue;
        }
        out.lines += fmt::format("{}:{}\n", name, value);
        out.signed_names += fmt::format("{}{}", out.signed_names.empty() ? "" : ";", name);
    }
    return out;
}

void require_signable(const SigV4Request& request) {
    const auto carries = [&](std::string_view wanted) {
        return std::ranges::any_of(request.headers,
                                   [&](const HttpField& field) { return ascii_lowercase(field.first) == wanted; });
    };
    std::string problem;
    if (!request.path.starts_with('/')) problem = fmt::format("the path '{}' is not absolute", request.path);
    if (request.payload_sha256.empty()) problem = "the payload's SHA-256 is missing";
    if (!carries("host")) problem = "the request carries no Host header";
    for (const char* added : {"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}) {
        if (carries(added)) problem = fmt::format("the request already carries {}, which the signature adds", added);
    }
    if (!problem.empty()) throw runtime_error(ErrorCode::internal, "SigV4: " + problem);
}

// "20150830T123600Z": the compact form backup names use, with AWS's 'T' and 'Z'.
std::string amz_date(TimePoint at) {
    std::string stamp = format_compact(at);
    stamp[8] = 'T';
    return stamp + 'Z';
}

}  // namespace

std::string sigv4_uri_encode(std::string_view text, Slash slash) {
    std::string out;
    for (const char c : text) {
        out += is_unreserved(c) || (slash == Slash::kept && c == '/') ? std::string(1, c)
                                                            : fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
    return out;
}

SigV4Signature sign_sigv4(const SigV4Request& request, const SigV4Credentials& credentials, TimePoint at) {
    require_signable(request);
    const std::string timestamp = amz_date(at);
    const std::string date = timestamp.substr(0, 8);
    SigV4Signature result;
    result.headers.emplace_back("x-amz-date", timestamp);
    // S3 alone wants the payload's hash as a header; other services know it from the signature only.
    if (credentials.service == "s3") result.headers.emplace_back("x-amz-content-sha256", request.payload_sha256);
    if (!credentials.session_token.empty()) {
        result.headers.emplace_back("x-amz-security-token", credentials.session_token);
    }
    std::vector<HttpField> signed_fields = request.headers;
    signed_fields.insert(signed_fields.end(), result.headers.begin(), result.headers.end());
    const CanonicalHeaders headers = canonical_headers(std::move(signed_fields));
    result.canonical_request =
        fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, sigv4_uri_encode(request.path, Slash::kept),
                    canonical_query(request.query), headers.lines, headers.signed_names, request.payload_sha256);
    const std::string scope = fmt::format("{}/{}/{}/aws4_request", date, credentials.region, credentials.service);
    Sha256 canonical_hash;
    canonical_hash.update(result.canonical_request.data(), result.canonical_request.size());
    result.string_to_sign =
        fmt::format("{}\n{}\n{}\n{}", signing_algorithm, timestamp, scope, canonical_hash.hex_digest());
    HmacBytes key = hmac_sha256("AWS4" + credentials.secret_key, date);
    key = hmac_sha256(as_key(key), credentials.region);
    key = hmac_sha256(as_key(key), credentials.service);
    key = hmac_sha256(as_key(key), "aws4_request");
    const HmacBytes signature = hmac_sha256(as_key(key), result.string_to_sign);
    result.signature = to_hex(signature.data(), signature.size());
    result.authorization = fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", signing_algorithm,
                                       credentials.access_key_id, scope, headers.signed_names, result.signature);
    result.headers.emplace(result.headers.begin(), "Authorization", result.authorization);
    return result;
}

}  // namespace soniabk
