// A read-only SQLite VFS over database images soniabk serves itself (a page-store backup read in place), so SQLite
// reads only the pages a query touches: no journal, no WAL, no locks, nothing written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace soniabk {

class DatabaseImage {
public:
    virtual ~DatabaseImage() = default;
    virtual std::uint64_t size() const = 0;
    // Fills `out` with the `amount` bytes at `offset` (within size()); throws soniabk::Error when they cannot be read.
    virtual void read(unsigned char* out, std::size_t amount, std::uint64_t offset) = 0;
};

// Makes `image` (which must outlive this) openable and attachable by SQLite under uri(), until this goes.
class ImageRegistration {
public:
    explicit ImageRegistration(DatabaseImage& image);
    ImageRegistration(const ImageRegistration&) = delete;
    ImageRegistration& operator=(const ImageRegistration&) = delete;
    ~ImageRegistration();
    // A URI filename for sqlite3_open_v2 (SQLITE_OPEN_URI) or ATTACH: read-only, through the image VFS.
    const std::string& uri() const { return uri_; }

private:
    std::string name_;
    std::string uri_;
};

// When an image's read failed during the last SQLite call on this thread, rethrows that error (the one naming
// the damaged object) instead of SQLite's "disk I/O error"; else does nothing.
void rethrow_image_failure();

}  // namespace soniabk
