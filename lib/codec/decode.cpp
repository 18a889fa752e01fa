#include "codec/decode.hpp"

#include "codec/compress.hpp"
#include "codec/crypto.hpp"
#include "base/error.hpp"

#include <fmt/format.h>

#include <array>

namespace soniabk {

StoredLayout layout_of_file(const fs::path& path) {
    StoredLayout layout;
    layout.encrypted = has_encryption_magic(path);
    const std::string name = path.filename().string();
    layout.compressed = name.ends_with(".zst") || name.ends_with(".zst.enc");
    return layout;
}

namespace {

// The decoding chain, built from its end: stored digest -> decrypt -> zstd -> (second core) -> content digest
// -> count -> out.
struct DecodeChain {
    CountingSink counted;
    std::unique_ptr<DigestSink> content_sha;
    std::unique_ptr<HmacSink> content_mac;
    std::unique_ptr<ThreadedSink> second_core;
    std::unique_ptr<ZstdDecompressSink> decompress;
    std::unique_ptr<DecryptSink> decrypt;
    std::unique_ptr<DigestSink> stored;
    std::string content_check;

    DecodeChain(const std::optional<EncryptionHeader>& header, const fs::path& path, const StoredLayout& layout,
                const DecodeOptions& options, ByteSink& out)
        : counted(&out) {
        std::optional<FileKeys> keys;
        if (header) {
            // The key is settled from the header alone: a wrong one is refused before anything is written.
            keys = derive_file_keys(master_key_for(*header, options.keys, path), *header);
            require_matching_key(*keys, *header, path);
        }
        ByteSink* head = &counted;
        const bool whole_content = options.decompress || !layout.compressed;
        if (layout.content && whole_content) {
            if (keys) {
                content_mac = std::make_unique<HmacSink>(keys->mac_key, head);
                head = content_mac.get();
                content_check = "hmac_sha256";
            } else {
                content_sha = std::make_unique<DigestSink>(head);
                head = content_sha.get();
                content_check = "sha256";
            }
        }
        // Reading, decrypting and decompressing on one core; content digest and writing on the other.
        if (layout.compressed || layout.encrypted) {
            second_core = std::make_unique<ThreadedSink>(*head);
            head = second_core.get();
        }
        if (layout.compressed && options.decompress) {
            decompress = std::make_unique<ZstdDecompressSink>(*head, path);
            head = decompress.get();
        }
        if (keys) {
            decrypt = std::make_unique<DecryptSink>(*head, *header, *keys, path);
            head = decrypt.get();
        }
        stored = std::make_unique<DigestSink>(head);
    }

    const FileDigest& content_digest() const { return content_mac ? content_mac->digest() : content_sha->digest(); }
};

Error mismatch(ErrorCode code, const fs::path& path, const std::string& what) {
    return runtime_error(code, fmt::format("{}: {}", path.string(), what), path);
}

void check_content(const DecodeChain& chain, const ContentInfo& expected, const fs::path& path) {
    const FileDigest& got = chain.content_digest();
    if (got.size_bytes != expected.size_bytes) {
        throw mismatch(ErrorCode::content_mismatch, path, fmt::format("decodes to {} bytes, the manifest says {}", got.size_bytes,
                                                             expected.size_bytes));
    }
    const std::string& want = chain.content_mac ? expected.hmac_sha256 : expected.sha256;
    if (got.sha256 != want) {
        throw mismatch(ErrorCode::content_mismatch, path,
                       fmt::format("decoded content's {} does not match the manifest", chain.content_check));
    }
}

}  // namespace

DecodeReport decode_stored(ByteSource& in, std::uint64_t stored_size, const fs::path& path,
                           const StoredLayout& layout, const DecodeOptions& options, ByteSink& out) {
    // 1. A stored file of the wrong size is refused before a byte is read.
    if (layout.stored && stored_size != layout.stored->size_bytes) {
        throw mismatch(ErrorCode::size_mismatch, path, fmt::format("{} bytes stored, the manifest says {}", stored_size,
                                                          layout.stored->size_bytes));
    }
    // 2. Build the chain (the header read first settles the key), then stream everything through it once.
    std::array<unsigned char, encryption_header_bytes> head{};
    std::size_t head_bytes = 0;
    std::optional<EncryptionHeader> header;
    if (layout.encrypted) {
        head_bytes = read_fully(in, head.data(), head.size());
        header = parse_encryption_header(head.data(), head_bytes, path);
    }
    DecodeChain chain(header, path, layout, options, out);
    chain.stored->write(head.data(), head_bytes);
    pump(in, *chain.stored);
    chain.stored->finish();
    // 3. What only the end of the stream can prove: the stored hash and the content digest.
    DecodeReport report{chain.stored->digest(), chain.counted.bytes(), chain.decrypt ? chain.decrypt->chunks() : 0,
                        chain.content_check};
    if (layout.stored && report.stored.sha256 != layout.stored->sha256) {
        throw mismatch(ErrorCode::sha256_mismatch, path, fmt::format("SHA-256 {} does not match the manifest's {}",
                                                            report.stored.sha256, layout.stored->sha256));
    }
    if (!chain.content_check.empty()) check_content(chain, *layout.content, path);
    return report;
}

DecodeReport decode_stored(const fs::path& path, const StoredLayout& layout, const DecodeOptions& options,
                           ByteSink& out) {
    FileSource in(path);
    return decode_stored(in, in.file().size(), path, layout, options, out);
}

}  // namespace soniabk
