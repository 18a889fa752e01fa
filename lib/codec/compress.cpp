#include "codec/compress.hpp"

#include "base/error.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <charconv>
#include <thread>

namespace soniabk {

namespace {

std::size_t checked(std::size_t rc, const char* what) {
    if (ZSTD_isError(rc)) throw runtime_error(ErrorCode::compress, fmt::format("zstd {} failed: {}", what, ZSTD_getErrorName(rc)));
    return rc;
}

}  // namespace

int parse_compress_spec(std::string_view spec) {
    const auto bad = [&] {
        return usage_error(fmt::format("--compress '{}': write zstd or zstd:LEVEL (LEVEL 1-{})", spec, max_zstd_level));
    };
    if (spec == "zstd") return default_zstd_level;
    if (!spec.starts_with("zstd:")) throw bad();
    const std::string_view digits = spec.substr(5);
    int level = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), level);
    if (ec != std::errc() || end != digits.data() + digits.size() || level < 1 || level > max_zstd_level) throw bad();
    return level;
}

ZstdCompressSink::ZstdCompressSink(ByteSink& next, const ZstdSettings& settings)
    : next_(next), cctx_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize()) {
    if (cctx_ == nullptr) throw runtime_error(ErrorCode::compress, "zstd could not allocate a compression context");
    checked(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, settings.level), "set level");
    checked(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1), "enable checksum");
    const int workers = settings.workers > 0 ? settings.workers : static_cast<int>(std::thread::hardware_concurrency());
    // A libzstd built without threads refuses workers: it then compresses on this thread, same format.
    if (workers > 0) ZSTD_CCtx_setParameter(cctx_, ZSTD_c_nbWorkers, workers);
    if (settings.pledged_size) checked(ZSTD_CCtx_setPledgedSrcSize(cctx_, *settings.pledged_size), "pledge size");
}

ZstdCompressSink::~ZstdCompressSink() { ZSTD_freeCCtx(cctx_); }

void ZstdCompressSink::drain(const void* data, std::size_t size, int directive) {
    ZSTD_inBuffer in{data, size, 0};
    for (;;) {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        const std::size_t remaining =
            checked(ZSTD_compressStream2(cctx_, &out, &in, static_cast<ZSTD_EndDirective>(directive)), "compress");
        if (out.pos > 0) next_.write(out_.data(), out.pos);
        const bool done = directive == ZSTD_e_end ? remaining == 0 : in.pos == in.size;
        if (done) return;
    }
}

void ZstdCompressSink::write(const void* data, std::size_t size) { drain(data, size, ZSTD_e_continue); }

void ZstdCompressSink::finish() {
    drain(nullptr, 0, ZSTD_e_end);
    next_.finish();
}

ZstdDecompressSink::ZstdDecompressSink(ByteSink& next, std::filesystem::path origin)
    : next_(next), origin_(std::move(origin)), dctx_(ZSTD_createDCtx()), out_(ZSTD_DStreamOutSize()) {
    if (dctx_ == nullptr) throw runtime_error(ErrorCode::compress, "zstd could not allocate a decompression context");
}

ZstdDecompressSink::~ZstdDecompressSink() { ZSTD_freeDCtx(dctx_); }

void ZstdDecompressSink::write(const void* data, std::size_t size) {
    ZSTD_inBuffer in{data, size, 0};
    bool output_full = false;
    // A full output buffer may leave decoded bytes inside zstd: call again until it has room to spare,
    // unless the frame just ended (0): a further call would already wait for the next frame's header.
    while (in.pos < in.size || output_full) {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        const std::size_t hint = ZSTD_decompressStream(dctx_, &out, &in);
        if (ZSTD_isError(hint)) {
            throw runtime_error(ErrorCode::corrupt, fmt::format("{}: compressed stream is damaged: {}", origin_.string(),
                                                       ZSTD_getErrorName(hint)), origin_);
        }
        if (out.pos > 0) next_.write(out_.data(), out.pos);
        frame_open_ = hint != 0;
        any_frame_ = true;
        output_full = out.pos == out.size && hint != 0;
    }
}

void ZstdDecompressSink::finish() {
    if (!any_frame_ || frame_open_) {
        throw runtime_error(ErrorCode::corrupt, fmt::format("{}: compressed stream is truncated (its last frame never ends)",
                                                   origin_.string()), origin_);
    }
    next_.finish();
}

}  // namespace soniabk
