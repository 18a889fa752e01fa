#include "storage/s3_storage.hpp"

#include "base/error.hpp"
#include "io/atomic_file.hpp"
#include "net/xml.hpp"
#include "storage/s3_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace soniabk::storage {

namespace {

// A leftover upload's key: the temp name its object would have had, with the upload id in place of a pid.
constexpr std::string_view upload_marker = ".tmp-upload-";

std::string leftover_key(std::string_view key, std::string_view upload_id) {
    const std::size_t slash = key.rfind('/');
    const std::string_view dir = slash == std::string_view::npos ? std::string_view() : key.substr(0, slash + 1);
    const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
    return fmt::format("{}.{}{}{}", dir, name, upload_marker, upload_id);
}

// "Mon, 07 Dec 2026 14:00:00 GMT" (RFC 7231), as HEAD answers Last-Modified.
TimePoint parse_http_date(const std::string& text) {
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char month[4] = {};
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(text.c_str(), "%*3s, %d %3s %d %d:%d:%d", &day, month, &year, &hour, &minute, &second) != 6) return {};
    const std::size_t m = months.find(month);
    if (m == std::string_view::npos || m % 3 != 0) return {};
    const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(m / 3 + 1)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) return {};
    return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second);
}

std::uint64_t parse_size(const std::string& text) {
    std::uint64_t size = 0;
    std::from_chars(text.data(), text.data() + text.size(), size);
    return size;
}

// The SHA-256 soniabk stored with the object; anything but 64 lowercase hex digits is no digest.
std::string recorded_sha256(const S3Response& head) {
    std::string digest = head.header(s3_sha256_header);
    const bool is_hex = digest.size() == 64 && std::all_of(digest.begin(), digest.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    return is_hex ? digest : std::string();
}

}  // namespace

S3Storage::S3Storage(S3Settings settings, S3Url url)
    : url_(std::move(url)), client_(std::make_shared<S3Client>(std::move(settings), url_.bucket)) {}

std::string S3Storage::full_key(std::string_view key) const {
    return url_.prefix.empty() ? std::string(key) : fmt::format("{}/{}", url_.prefix, key);
}

fs::path S3Storage::location(std::string_view key) const {
    const std::string root = url_.prefix.empty() ? fmt::format("s3://{}", url_.bucket) : fmt::format("s3://{}/{}", url_.bucket, url_.prefix);
    return key.empty() ? fs::path(root) : fs::path(fmt::format("{}/{}", root, key));
}

// Content-MD5 and x-amz-content-sha256 go with every PUT, and the server refuses a body that does not match them.
bool S3Storage::has(Capability capability) const {
    return capability == Capability::conditional_create || capability == Capability::checked_uploads ||
           capability == Capability::stored_digests;
}

std::unique_ptr<NewObject> S3Storage::create(std::string_view key, Overwrite overwrite) {
    require_valid_key(key);
    return std::make_unique<S3NewObject>(client_, full_key(key), overwrite);
}

std::unique_ptr<ObjectReader> S3Storage::open(std::string_view key, ByteRange range) const {
    const S3Request head{"HEAD", full_key(key), {}, {}, {}};
    const S3Response response = client_->send(head);
    if (response.status == 404) {
        throw runtime_error(ErrorCode::not_found, fmt::format("{}: no such object", location(key).string()), location(key));
    }
    if (response.status != 200) client_->fail(head, response);
    const std::uint64_t total = parse_size(response.header("content-length"));
    const std::uint64_t offset = std::min(range.offset, total);
    const std::uint64_t size = std::min(total - offset, range.length.value_or(total - offset));
    return std::make_unique<S3Reader>(client_, full_key(key), response.header("etag"), offset, size);
}

std::optional<ObjectInfo> S3Storage::stat(std::string_view key) const {
    const S3Request head{"HEAD", full_key(key), {}, {}, {}};
    const S3Response response = client_->send(head);
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) client_->fail(head, response);
    return ObjectInfo{std::string(key), parse_size(response.header("content-length")), parse_http_date(response.header("last-modified")),
                      recorded_sha256(response)};
}

std::vector<ObjectInfo> S3Storage::list(std::string_view prefix, Listing listing) const {
    if (listing == Listing::leftovers) return list_uploads(prefix);
    const std::size_t strip = url_.prefix.empty() ? 0 : url_.prefix.size() + 1;
    std::vector<ObjectInfo> objects;
    std::string token;
    for (;;) {
        S3Request request{"GET", "", {{"list-type", "2"}, {"prefix", full_key(prefix)}}, {}, {}};
        if (!token.empty()) request.query.emplace_back("continuation-token", token);
        const S3Response response = client_->send(request);
        // A web server's page is no listing: reading it as an empty one would report a repository with no backups.
        const XmlElement result = client_->expect_xml(request, response, "ListBucketResult");
        for (const XmlElement* item : result.children_named("Contents")) {
            const std::string key = item->child_text("Key");
            if (key.size() <= strip) continue;
            objects.push_back({key.substr(strip), parse_size(item->child_text("Size")),
                               parse_iso8601(item->child_text("LastModified")).value_or(TimePoint{})});
        }
        token = result.child_text("NextContinuationToken");
        if (result.child_text("IsTruncated") != "true" || token.empty()) break;
    }
    std::sort(objects.begin(), objects.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return objects;
}

std::vector<ObjectInfo> S3Storage::list_uploads(std::string_view prefix) const {
    const std::size_t strip = url_.prefix.empty() ? 0 : url_.prefix.size() + 1;
    std::vector<ObjectInfo> uploads;
    std::string key_marker, upload_marker_text;
    for (;;) {
        S3Request request{"GET", "", {{"uploads", ""}, {"prefix", full_key(prefix)}}, {}, {}};
        if (!key_marker.empty()) request.query.emplace_back("key-marker", key_marker);
        if (!upload_marker_text.empty()) request.query.emplace_back("upload-id-marker", upload_marker_text);
        const S3Response response = client_->send(request);
        const XmlElement result = client_->expect_xml(request, response, "ListMultipartUploadsResult");
        for (const XmlElement* upload : result.children_named("Upload")) {
            const std::string key = upload->child_text("Key");
            if (key.size() <= strip) continue;
            uploads.push_back({leftover_key(key.substr(strip), upload->child_text("UploadId")), 0,
                               parse_iso8601(upload->child_text("Initiated")).value_or(TimePoint{})});
        }
        key_marker = result.child_text("NextKeyMarker");
        upload_marker_text = result.child_text("NextUploadIdMarker");
        if (result.child_text("IsTruncated") != "true" || key_marker.empty()) break;
    }
    std::sort(uploads.begin(), uploads.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return uploads;
}

void S3Storage::remove(std::string_view key) {
    S3Request request{"DELETE", full_key(key), {}, {}, {}};
    if (const std::size_t at = key.find(upload_marker); at != std::string_view::npos && is_temp_name(fs::path(key).filename())) {
        // The upload's object key: the temp name's directory and name without its leading '.' and marker.
        const std::size_t slash = key.rfind('/', at);
        const std::size_t name_start = slash == std::string_view::npos ? 0 : slash + 1;
        const std::string object_key = fmt::format("{}{}", key.substr(0, name_start), key.substr(name_start + 1, at - name_start - 1));
        request = {"DELETE", full_key(object_key), {{"uploadId", std::string(key.substr(at + upload_marker.size()))}}, {}, {}};
    }
    const S3Response response = client_->send(request);
    if (response.status == 204 || response.status == 200) return;
    // Gone already: removal resumes an interrupted one.
    if (response.status == 404 && (request.query.empty() || s3_error_code(response.body) == "NoSuchUpload")) return;
    client_->fail(request, response);
}

void S3Storage::append(std::string_view key, std::string_view) {
    throw runtime_error(ErrorCode::internal, fmt::format("{}: object storage cannot append", location(key).string()));
}

std::unique_ptr<Lock> S3Storage::try_lock(std::string_view key, std::string_view holder) {
    const auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    for (int attempt = 0; attempt < 2; ++attempt) {
        const S3Request put{"PUT", full_key(key), {}, {{"If-None-Match", "*"}}, s3_lock_body(holder, now + s3_lock_lifetime)};
        const S3Response response = client_->send(put);
        if (response.status == 200) return std::make_unique<S3Lock>(client_, full_key(key), std::string(holder));
        if (response.status != 412) client_->fail(put, response);
        // Held: by a living holder, or by one that stopped refreshing (killed), whose lock is taken over.
        std::string body;
        try {
            body = read_all(key);
        } catch (const Error& e) {
            if (e.code() != "not_found") throw;
            continue;  // released meanwhile
        }
        const auto expires = s3_lock_expiry(body);
        if (expires && *expires > now) return nullptr;
        remove(key);
    }
    return nullptr;
}

}  // namespace soniabk::storage
