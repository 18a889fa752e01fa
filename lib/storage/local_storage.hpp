// Storage in a directory on a local disk or a mounted share: temp file, fsync, rename, fsync of the directory;
// owner-only files (0600) and directories (0700).
#pragma once

#include "storage/storage.hpp"

namespace soniabk::storage {

class LocalStorage final : public Storage {
public:
    // `root` must exist; the directories under it are created on first write.
    explicit LocalStorage(fs::path root) : root_(std::move(root)) {}

    fs::path location(std::string_view key = {}) const override;
    bool has(Capability capability) const override;
    std::unique_ptr<NewObject> create(std::string_view key, Overwrite overwrite) override;
    std::unique_ptr<ObjectReader> open(std::string_view key, ByteRange range = {}) const override;
    std::optional<ObjectInfo> stat(std::string_view key) const override;
    std::vector<ObjectInfo> list(std::string_view prefix, Listing listing = Listing::published) const override;
    void remove(std::string_view key) override;
    void append(std::string_view key, std::string_view bytes) override;
    std::unique_ptr<Lock> try_lock(std::string_view key, std::string_view holder) override;
    std::optional<fs::path> local_path(std::string_view key) const override { return location(key); }

private:
    fs::path root_;
};

}  // namespace soniabk::storage
