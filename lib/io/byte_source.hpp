// The reading end of a stream: what a file, a stored object or a network body yields, piece by piece.
#pragma once

#include "platform/files.hpp"

#include <cstddef>
#include <filesystem>

namespace soniabk {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes into `buffer`; returns 0 only at the end of the stream.
    virtual std::size_t read(void* buffer, std::size_t size) = 0;
};

// A local file as a ByteSource.
class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::filesystem::path& path) : file_(path) {}
    std::size_t read(void* buffer, std::size_t size) override { return file_.read(buffer, size); }
    platform::InputFile& file() { return file_; }

private:
    platform::InputFile file_;
};

// Reads until `size` bytes are in `buffer` or the stream ends; returns how many arrived.
std::size_t read_fully(ByteSource& source, void* buffer, std::size_t size);

}  // namespace soniabk
