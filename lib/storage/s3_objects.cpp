#include "storage/s3_objects.hpp"

#include "base/error.hpp"
#include "net/xml.hpp"

#include <fmt/format.h>

#include <cstring>

namespace soniabk::storage {

S3Reader::S3Reader(std::shared_ptr<const S3Client> client, std::string key, std::string etag, std::uint64_t offset,
                   std::uint64_t size)
    : client_(std::move(client)), key_(std::move(key)), etag_(std::move(etag)), next_(offset), size_(size), left_(size) {}

std::size_t S3Reader::read(void* buffer, std::size_t size) {
    if (used_ == chunk_.size()) {
        if (left_ == 0 && pending_.empty()) return 0;
        take_next_chunk();
    }
    const std::size_t n = std::min(size, chunk_.size() - used_);
    std::memcpy(buffer, chunk_.data() + used_, n);
    used_ += n;
    return n;
}

void S3Reader::take_next_chunk() {
    if (pending_.empty()) pending_.push_back(request_next_chunk());
    chunk_ = pending_.front().get();
    pending_.pop_front();
    used_ = 0;
    // These download while this chunk is decoded and written.
    while (left_ > 0 && pending_.size() < s3_read_ahead_chunks) pending_.push_back(request_next_chunk());
}

std::future<std::string> S3Reader::request_next_chunk() {
    const std::uint64_t offset = next_;
    const std::uint64_t length = std::min<std::uint64_t>(left_, s3_read_chunk_bytes);
    next_ += length;
    left_ -= length;
    return std::async(std::launch::async, [client = client_, key = key_, etag = etag_, offset, length] {
        S3Request request{"GET", key, {}, {{"Range", fmt::format("bytes={}-{}", offset, offset + length - 1)}}, {}};
        if (!etag.empty()) request.headers.emplace_back("If-Match", etag);
        S3Response response = client->send(request);
        if (response.status == 412) {
            throw runtime_error(ErrorCode::content_mismatch, fmt::format("{}: the object changed while it was read", client->describe(key)));
        }
        if (response.status != 206 && response.status != 200) client->fail(request, response);
        if (response.body.size() != length) {
            throw runtime_error(ErrorCode::incomplete, fmt::format("{}: the download was cut short ({} of {} bytes at offset {})",
                                                                   client->describe(key), response.body.size(), length, offset));
        }
        return std::move(response.body);
    });
}

S3NewObject::S3NewObject(std::shared_ptr<const S3Client> client, std::string key, Overwrite overwrite)
    : client_(std::move(client)), key_(std::move(key)), overwrite_(overwrite) {}

S3NewObject::~S3NewObject() {
    if (upload_id_.empty() || published_) return;
    try {
        if (part_in_flight_.valid()) part_in_flight_.wait();
        client_->send({"DELETE", key_, {{"uploadId", upload_id_}}, {}, {}});
    } catch (const Error&) {
        // An upload left behind is a leftover: listed, and removed by prune --clean-incomplete.
    }
}

void S3NewObject::write(const void* data, std::size_t size) {
    // One allocation per part: a buffer grown by doubling would briefly hold a part and a half.
    if (buffer_.capacity() < s3_part_bytes) buffer_.reserve(s3_part_bytes);
    const char* bytes = static_cast<const char*>(data);
    size_ += size;
    while (size > 0) {
        const std::size_t n = std::min(size, s3_part_bytes - buffer_.size());
        buffer_.append(bytes, n);
        bytes += n;
        size -= n;
        // A full part goes only once more bytes follow: an object of exactly one part stays one PUT.
        if (buffer_.size() == s3_part_bytes && size > 0) {
            upload_part(std::move(buffer_));
            buffer_.clear();
        }
    }
}

void S3NewObject::fail_exists() const {
    throw runtime_error(ErrorCode::exists, fmt::format("{}: already exists", client_->describe(key_)));
}

void S3NewObject::start_upload() {
    S3Request start{"POST", key_, {{"uploads", ""}}, {}, {}};
    if (!sha256_.empty()) start.headers.emplace_back(s3_sha256_header, sha256_);
    sha256_in_upload_ = !sha256_.empty();
    const S3Response response = client_->send(start);
    upload_id_ = client_->expect_xml(start, response, "InitiateMultipartUploadResult").child_text("UploadId");
    if (upload_id_.empty()) {
        throw runtime_error(ErrorCode::http_status,
                            fmt::format("{}: the server started an upload without an UploadId", client_->describe(key_)));
    }
}

// One part in flight at a time: the next fills while this one goes, so memory holds at most two parts.
void S3NewObject::upload_part(std::string bytes) {
    if (upload_id_.empty()) start_upload();
    finish_part_in_flight();
    const std::string number = std::to_string(part_etags_.size() + 1);
    part_in_flight_ = std::async(std::launch::async, [client = client_, key = key_, id = upload_id_, number, bytes = std::move(bytes)]() mutable {
        const std::string md5 = content_md5(bytes);
        const S3Request part{"PUT", key, {{"partNumber", number}, {"uploadId", id}}, {{"Content-MD5", md5}}, std::move(bytes)};
        const S3Response response = client->send(part);
        if (response.status != 200) client->fail(part, response);
        return response.header("etag");
    });
}

void S3NewObject::finish_part_in_flight() {
    if (part_in_flight_.valid()) part_etags_.push_back(part_in_flight_.get());
}

void S3NewObject::complete_upload() {
    upload_part(std::move(buffer_));
    finish_part_in_flight();
    // S3 cannot refuse a completion on an existing key everywhere; the check before it narrows the race.
    if (overwrite_ == Overwrite::never && client_->send({"HEAD", key_, {}, {}, {}}).status == 200) fail_exists();
    std::string body = "<CompleteMultipartUpload>";
    for (std::size_t i = 0; i < part_etags_.size(); ++i) {
        body += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", i + 1, part_etags_[i]);
    }
    body += "</CompleteMultipartUpload>";
    const S3Request complete{"POST", key_, {{"uploadId", upload_id_}}, {}, body};
    const S3Response response = client_->send(complete);
    // A 200 can still carry an <Error>: the completion failed after the server began answering.
    const XmlElement answer = client_->expect_xml(complete, response, "CompleteMultipartUploadResult");
    std::string etag = answer.child_text("ETag");
    // Ceph RGW 16 answers an empty ETag: the object itself must then show a multipart ETag of every part.
    if (etag.empty()) {
        etag = client_->send({"HEAD", key_, {}, {}, {}}).header("etag");
        std::string_view unquoted = etag;
        if (unquoted.ends_with('"')) unquoted.remove_suffix(1);
        if (!unquoted.ends_with(fmt::format("-{}", part_etags_.size()))) {
            throw runtime_error(ErrorCode::http_status, fmt::format("{}: the multipart upload completed without an ETag, and the "
                                                                    "object does not show one of {} parts",
                                                                    client_->describe(key_), part_etags_.size()));
        }
    }
    if (!sha256_.empty() && !sha256_in_upload_ && size_ <= s3_max_copy_bytes) record_sha256_by_copy(etag);
}

// A digest known only once the bytes went up is recorded by copying the object onto itself with it: server-side,
// and only while the object is still the one just completed.
void S3NewObject::record_sha256_by_copy(const std::string& etag) {
    const S3Request copy{"PUT", key_, {},
                         {{"x-amz-copy-source", client_->copy_source(key_)}, {"x-amz-copy-source-if-match", etag},
                          {"x-amz-metadata-directive", "REPLACE"}, {s3_sha256_header, sha256_}},
                         {}};
    client_->expect_xml(copy, client_->send(copy), "CopyObjectResult");
}

void S3NewObject::publish() {
    if (!upload_id_.empty()) {
        complete_upload();
    } else {
        const std::string etag = single_put_etag(buffer_);
        S3Request put{"PUT", key_, {}, {{"Content-MD5", content_md5(buffer_)}}, std::move(buffer_)};
        if (!sha256_.empty()) put.headers.emplace_back(s3_sha256_header, sha256_);
        if (overwrite_ == Overwrite::never) put.headers.emplace_back("If-None-Match", "*");
        const S3Response response = client_->send(put);
        // A retry whose first attempt was stored but its answer lost finds the same bytes there: that is this object.
        if (response.status == 412) {
            if (client_->send({"HEAD", key_, {}, {}, {}}).header("etag") != etag) fail_exists();
        } else if (response.status != 200) {
            client_->fail(put, response);
        }
    }
    published_ = true;
    buffer_ = std::string();
}

std::string s3_lock_body(std::string_view holder, TimePoint expires) {
    std::string line(holder.substr(0, holder.find('\n')));
    return fmt::format("{}\nexpires {}\n", line, format_iso8601(expires));
}

std::optional<TimePoint> s3_lock_expiry(std::string_view body) {
    const std::size_t at = body.find("\nexpires ");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = body.substr(at + 9);
    return parse_iso8601(rest.substr(0, rest.find('\n')));
}

S3Lock::S3Lock(std::shared_ptr<const S3Client> client, std::string key, std::string holder)
    : client_(std::move(client)), key_(std::move(key)), holder_(std::move(holder)), refresher_([this] { refresh_until_released(); }) {}

S3Lock::~S3Lock() {
    {
        const std::lock_guard guard(mutex_);
        done_ = true;
    }
    released_.notify_all();
    refresher_.join();
    try {
        client_->send({"DELETE", key_, {}, {}, {}});
    } catch (const Error&) {
        // Unreleased, the lock expires by itself within s3_lock_lifetime.
    }
}

void S3Lock::refresh_until_released() {
    std::unique_lock guard(mutex_);
    while (!released_.wait_for(guard, s3_lock_refresh, [this] { return done_; })) {
        try {
            const auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
            client_->send({"PUT", key_, {}, {}, s3_lock_body(holder_, now + s3_lock_lifetime)});
        } catch (const Error&) {
            // The next refresh tries again; the lifetime outlasts two missed ones.
        }
    }
}

}  // namespace soniabk::storage
