// The objects of S3Storage: a reader fed by ranged GETs, an upload published by its last request, a lock object.
#pragma once

#include "net/s3_client.hpp"
#include "storage/storage.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace soniabk::storage {

// Parts of a multipart upload, and the largest object sent in one PUT: a writer holds one part in memory.
inline constexpr std::size_t s3_part_bytes = std::size_t{16} << 20;
// Ranged GETs of this size feed a reader, so a download streams with flat memory; this many are on their way
// (each on a connection of its own) while the reader consumes the one before them.
inline constexpr std::size_t s3_read_chunk_bytes = std::size_t{8} << 20;
inline constexpr std::size_t s3_read_ahead_chunks = 2;
// The user metadata holding an object's SHA-256 (hex), which stat() reports; S3 copies at most 5 GiB in one
// request, so a larger object whose digest came too late for its upload goes without.
inline constexpr char s3_sha256_header[] = "x-amz-meta-sha256";
inline constexpr std::uint64_t s3_max_copy_bytes = std::uint64_t{5} << 30;

// Bytes [offset, offset + size) of one object, fetched a chunk at a time, the next chunks downloading while this
// one is read; the object's ETag pins the version read.
class S3Reader final : public ObjectReader {
public:
    S3Reader(std::shared_ptr<const S3Client> client, std::string key, std::string etag, std::uint64_t offset, std::uint64_t size);
    std::uint64_t size() const override { return size_; }
    std::size_t read(void* buffer, std::size_t size) override;

private:
    void take_next_chunk();
    std::future<std::string> request_next_chunk();

    std::shared_ptr<const S3Client> client_;
    std::string key_;
    std::string etag_;
    std::uint64_t next_ = 0;  // the object's offset of the next chunk to request
    std::uint64_t size_ = 0;
    std::uint64_t left_ = 0;  // bytes not yet requested
    std::deque<std::future<std::string>> pending_;  // the chunks after this one, on their way, in order
    std::string chunk_;
    std::size_t used_ = 0;
};

// Bytes gathered a part at a time: up to one part they go in one PUT at publish(); beyond it, a multipart upload
// whose completion at publish() makes the object appear, each full part uploading on a second thread while the
// next one fills. Destroyed unpublished, the upload is aborted.
class S3NewObject final : public NewObject, private ByteSink {
public:
    S3NewObject(std::shared_ptr<const S3Client> client, std::string key, Overwrite overwrite);
    ~S3NewObject() override;
    ByteSink& sink() override { return *this; }
    std::optional<fs::path> local_path() const override { return std::nullopt; }
    void set_sha256(std::string sha256_hex) override { sha256_ = std::move(sha256_hex); }
    void publish() override;

private:
    void write(const void* data, std::size_t size) override;
    void finish() override {}
    void start_upload();
    void upload_part(std::string bytes);
    void finish_part_in_flight();
    void complete_upload();
    void record_sha256_by_copy(const std::string& etag);
    [[noreturn]] void fail_exists() const;

    std::shared_ptr<const S3Client> client_;
    std::string key_;
    Overwrite overwrite_;
    std::string buffer_;
    std::string upload_id_;
    std::vector<std::string> part_etags_;
    std::future<std::string> part_in_flight_;  // its ETag, once the server has it
    std::string sha256_;              // x-amz-meta-sha256, when the writer gave it
    bool sha256_in_upload_ = false;   // given before the multipart upload began, so sent with it
    std::uint64_t size_ = 0;
    bool published_ = false;
};

// A lock object holding its holder's line and its expiry, rewritten while held so it never expires under a
// living holder; deleted on release.
class S3Lock final : public Lock {
public:
    S3Lock(std::shared_ptr<const S3Client> client, std::string key, std::string holder);
    ~S3Lock() override;

private:
    void refresh_until_released();

    std::shared_ptr<const S3Client> client_;
    std::string key_;
    std::string holder_;
    std::mutex mutex_;
    std::condition_variable released_;
    bool done_ = false;
    std::thread refresher_;
};

// How long a lock object is good for without a refresh, and how often a holder refreshes it.
inline constexpr Duration s3_lock_lifetime = std::chrono::seconds(90);
inline constexpr Duration s3_lock_refresh = std::chrono::seconds(30);

// A lock object's body: the holder's line, then "expires <ISO 8601>".
std::string s3_lock_body(std::string_view holder, TimePoint expires);
// When a lock body says it expires; nothing for a body that does not say.
std::optional<TimePoint> s3_lock_expiry(std::string_view body);

}  // namespace soniabk::storage
