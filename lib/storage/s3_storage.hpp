// Storage in an S3-compatible bucket under a key prefix. S3 has no rename: an object is uploaded whole (one
// PUT, or a multipart upload above one part) and appears only when that upload completes, so publishing is the
// last request; `If-None-Match: *` makes creating a taken key fail on the server.
#pragma once

#include "net/s3_client.hpp"
#include "storage/storage.hpp"

#include <memory>

namespace soniabk::storage {

class S3Storage final : public Storage {
public:
    S3Storage(S3Settings settings, S3Url url);

    fs::path location(std::string_view key = {}) const override;
    bool has(Capability capability) const override;
    std::unique_ptr<NewObject> create(std::string_view key, Overwrite overwrite) override;
    std::unique_ptr<ObjectReader> open(std::string_view key, ByteRange range = {}) const override;
    std::optional<ObjectInfo> stat(std::string_view key) const override;
    // Listing::leftovers: the multipart uploads of writers that never completed them.
    std::vector<ObjectInfo> list(std::string_view prefix, Listing listing = Listing::published) const override;
    // A leftover's key aborts its upload.
    void remove(std::string_view key) override;
    void append(std::string_view key, std::string_view bytes) override;
    // A lock object (its holder, then when it expires) refreshed while held; an expired one is taken over.
    std::unique_ptr<Lock> try_lock(std::string_view key, std::string_view holder) override;
    std::optional<fs::path> local_path(std::string_view) const override { return std::nullopt; }

    // The bucket's key for a storage key.
    std::string full_key(std::string_view key) const;
    const S3Client& client() const { return *client_; }

private:
    std::vector<ObjectInfo> list_uploads(std::string_view prefix) const;

    S3Url url_;
    std::shared_ptr<S3Client> client_;
};

}  // namespace soniabk::storage
