// SHA-256 of byte streams and files, through OpenSSL 3's EVP interface.
#pragma once

#include "io/byte_source.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include "base/progress.hpp"
#include <string>
#include <string_view>

namespace soniabk {

// Streaming SHA-256: feed bytes with update(), read the lowercase hex digest with hex_digest().
class Sha256 {
public:
    Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    ~Sha256();

    void update(const void* data, std::size_t size);
    std::string hex_digest();  // finishes the hash; call once

private:
    struct Context;
    std::unique_ptr<Context> context_;
};

// The SHA-256 of bytes in memory, lowercase hex.
std::string sha256_hex(std::string_view bytes);

// Lowercase hex of bytes: the form every digest and key check is written in.
std::string to_hex(const unsigned char* bytes, std::size_t size);

struct FileDigest {
    std::string sha256;
    std::uint64_t size_bytes = 0;
};

// Hashes a file in fixed-size chunks (memory stays flat whatever its size), reported as phase "hash".
FileDigest hash_file(const std::filesystem::path& path, Progress& progress = no_progress());
// The same for any stream; `expected_size` only scales the progress.
FileDigest hash_stream(ByteSource& in, std::uint64_t expected_size, Progress& progress = no_progress());

// The buffer size every streaming loop in soniabk uses. 64 KiB stays in the CPU cache between the kernel's copy
// and the next step: reading and hashing 500 MB took ~0.25 s less system time than with 1 MiB (bench/RESULTS.md).
inline constexpr std::size_t stream_chunk_bytes = std::size_t{64} << 10;

}  // namespace soniabk
