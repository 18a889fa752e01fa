#include "pages/block_codec.hpp"

#include "base/error.hpp"

#include <fmt/format.h>
#include <zstd.h>

namespace soniabk::pages {

namespace {

class StringSink final : public ByteSink {
public:
    explicit StringSink(std::string& out) : out_(out) {}
    void write(const void* data, std::size_t size) override { out_.append(static_cast<const char*>(data), size); }
    void finish() override {}

private:
    std::string& out_;
};

class BytesSink final : public ByteSink {
public:
    void write(const void* data, std::size_t size) override {
        const auto* bytes = static_cast<const unsigned char*>(data);
        bytes_.insert(bytes_.end(), bytes, bytes + size);
    }
    void finish() override {}
    std::vector<unsigned char> bytes_;
};

Error damaged(const fs::path& origin, const std::string& why) {
    return runtime_error(ErrorCode::backup_damaged, fmt::format("{}: damaged block: {}", origin.string(), why), origin);
}

}  // namespace

struct BlockEncoder::Context {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    std::string frame;
    ~Context() { ZSTD_freeCCtx(cctx); }
};

BlockEncoder::BlockEncoder(int zstd_level, const PageStoreKeys* keys)
    : context_(std::make_unique<Context>()), level_(zstd_level), keys_(keys) {
    ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_compressionLevel, level_);
    ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_checksumFlag, 1);
}

BlockEncoder::~BlockEncoder() = default;

std::string BlockEncoder::encode(const unsigned char* data, std::size_t size) {
    std::string& frame = context_->frame;
    frame.resize(ZSTD_compressBound(size));
    const std::size_t n = ZSTD_compress2(context_->cctx, frame.data(), frame.size(), data, size);
    if (ZSTD_isError(n)) throw runtime_error(ErrorCode::compress, fmt::format("zstd failed: {}", ZSTD_getErrorName(n)));
    frame.resize(n);
    if (keys_ == nullptr) return frame;
    EncryptionHeader header = new_encryption_header(KeySource::key_file, default_chunk_log2, ScryptParams{0, 0, 0});
    const FileKeys file_keys = derive_file_keys(keys_->seal_key, header);
    header.key_check = file_keys.check;
    std::string sealed;
    sealed.reserve(frame.size() + encryption_header_bytes + 2 * gcm_tag_bytes);
    StringSink out(sealed);
    EncryptSink seal(out, header, file_keys);
    seal.write(frame.data(), frame.size());
    seal.finish();
    return sealed;
}

struct BlockDecoder::Context {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ~Context() { ZSTD_freeDCtx(dctx); }
};

BlockDecoder::BlockDecoder(const PageStoreKeys* keys) : context_(std::make_unique<Context>()), keys_(keys) {}

BlockDecoder::~BlockDecoder() = default;

std::vector<unsigned char> BlockDecoder::decode(std::string_view stored, const fs::path& origin) {
    BytesSink opened;
    if (keys_ != nullptr) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(stored.data());
        const EncryptionHeader header = parse_encryption_header(bytes, stored.size(), origin);
        const FileKeys file_keys = derive_file_keys(keys_->seal_key, header);
        require_matching_key(file_keys, header, origin);
        DecryptSink open(opened, header, file_keys, origin);
        open.write(stored.data(), stored.size());
        open.finish();
        stored = std::string_view(reinterpret_cast<const char*>(opened.bytes_.data()), opened.bytes_.size());
    }
    const unsigned long long plain = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (plain == ZSTD_CONTENTSIZE_ERROR || plain == ZSTD_CONTENTSIZE_UNKNOWN) throw damaged(origin, "no zstd frame");
    if (plain > max_block_plain_bytes) throw damaged(origin, "frame larger than any block");
    if (ZSTD_findFrameCompressedSize(stored.data(), stored.size()) != stored.size()) {
        throw damaged(origin, "bytes beyond the zstd frame");
    }
    std::vector<unsigned char> out(plain);
    const std::size_t n = ZSTD_decompressDCtx(context_->dctx, out.data(), out.size(), stored.data(), stored.size());
    if (ZSTD_isError(n) || n != plain) throw damaged(origin, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame");
    return out;
}

}  // namespace soniabk::pages
