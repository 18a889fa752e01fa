// zstd compression as byte sinks: multi-threaded streaming compression and checked streaming decompression.
#pragma once

#include "io/stream.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace soniabk {

inline constexpr int default_zstd_level = 3;
inline constexpr int max_zstd_level = 19;  // 20-22 ("ultra") need far more memory than a backup should take

// Parses `zstd` or `zstd:LEVEL` (the --compress value) into a level; a bad value throws a usage error.
int parse_compress_spec(std::string_view spec);

struct ZstdSettings {
    int level = default_zstd_level;
    int workers = 0;  // 0: one per core; the output is the same byte stream whatever the count
    std::optional<std::uint64_t> pledged_size;  // written into the frame header when known
};

// Compresses everything written into one zstd frame (with its content checksum) and passes it on.
class ZstdCompressSink final : public ByteSink {
public:
    ZstdCompressSink(ByteSink& next, const ZstdSettings& settings);
    ZstdCompressSink(const ZstdCompressSink&) = delete;
    ZstdCompressSink& operator=(const ZstdCompressSink&) = delete;
    ~ZstdCompressSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;

private:
    void drain(const void* data, std::size_t size, int directive);
    ByteSink& next_;
    ZSTD_CCtx_s* cctx_;
    std::vector<char> out_;
};

// Decompresses zstd frames and passes the bytes on; a damaged or truncated stream throws naming `origin`.
class ZstdDecompressSink final : public ByteSink {
public:
    ZstdDecompressSink(ByteSink& next, std::filesystem::path origin);
    ZstdDecompressSink(const ZstdDecompressSink&) = delete;
    ZstdDecompressSink& operator=(const ZstdDecompressSink&) = delete;
    ~ZstdDecompressSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;

private:
    ByteSink& next_;
    std::filesystem::path origin_;
    ZSTD_DCtx_s* dctx_;
    std::vector<char> out_;
    bool frame_open_ = false;  // bytes seen since the last complete frame
    bool any_frame_ = false;
};

}  // namespace soniabk
