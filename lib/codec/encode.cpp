#include "codec/encode.hpp"

#include "codec/compress.hpp"
#include "base/error.hpp"

namespace soniabk {

Encoding Encoding::resolve(const CodecOptions& options) {
    Encoding encoding;
    encoding.options_ = options;
    if (options.chunk_log2 < min_chunk_log2 || options.chunk_log2 > max_chunk_log2) {
        throw usage_error("encryption chunk size out of range");
    }
    if (options.encrypt) {
        encoding.secret_ = std::make_shared<const EncryptionSecret>(resolve_encryption_secret(options.keys, options.scrypt));
    }
    return encoding;
}

std::string Encoding::suffix() const {
    std::string suffix;
    if (compressed()) suffix += ".zst";
    if (encrypted()) suffix += ".enc";
    return suffix;
}

struct StoredEncoder::Chain {
    DigestSink stored;
    ThreadedSink second_core;  // content digest, compression and encryption here; stored digest and writing there
    std::optional<EncryptionHeader> header;
    std::optional<FileKeys> keys;
    std::unique_ptr<EncryptSink> encrypt;
    std::unique_ptr<ZstdCompressSink> compress;
    std::unique_ptr<DigestSink> content_sha;
    std::unique_ptr<HmacSink> content_mac;
    EncodedStream result;

    explicit Chain(ByteSink& out) : stored(&out), second_core(stored) {}
};

EncryptionInfo describe_encryption(const EncryptionSecret& secret, std::uint8_t chunk_log2) {
    EncryptionInfo info;
    info.chunk_bytes = std::uint64_t{1} << chunk_log2;
    info.key_source = to_string(secret.source);
    if (secret.source == KeySource::passphrase) {
        info.kdf = KdfInfo{"scrypt", secret.scrypt.log2_n, secret.scrypt.r, secret.scrypt.p};
    }
    return info;
}

StoredEncoder::StoredEncoder(const Encoding& encoding, ByteSink& out, std::optional<std::uint64_t> plain_size)
    : chain_(std::make_unique<Chain>(out)) {
    Chain& c = *chain_;
    const CodecOptions& options = encoding.options();
    ByteSink* head = &c.second_core;
    if (const EncryptionSecret* secret = encoding.secret()) {
        // A fresh salt and nonce prefix per file: its keys are its own even when the master key is shared.
        c.header = new_encryption_header(secret->source, options.chunk_log2, secret->scrypt);
        c.keys = derive_file_keys(master_key(*secret, *c.header), *c.header);
        c.header->key_check = c.keys->check;
        c.encrypt = std::make_unique<EncryptSink>(*head, *c.header, *c.keys);
        head = c.encrypt.get();
        c.result.encryption = describe_encryption(*secret, options.chunk_log2);
    }
    if (options.zstd_level) {
        c.compress = std::make_unique<ZstdCompressSink>(*head, ZstdSettings{*options.zstd_level, options.zstd_workers, plain_size});
        head = c.compress.get();
        c.result.compression = CompressionInfo{"zstd", *options.zstd_level};
    }
    if (c.keys) {
        c.content_mac = std::make_unique<HmacSink>(c.keys->mac_key, head);
    } else {
        c.content_sha = std::make_unique<DigestSink>(head);
    }
}

StoredEncoder::~StoredEncoder() = default;

ByteSink& StoredEncoder::input() {
    if (chain_->content_mac) return *chain_->content_mac;
    return *chain_->content_sha;
}

EncodedStream StoredEncoder::finish() {
    Chain& c = *chain_;
    input().finish();  // finishes every layer, and `out`
    c.result.stored = c.stored.digest();
    if (c.content_mac) {
        c.result.content = {c.content_mac->digest().size_bytes, {}, c.content_mac->digest().sha256};
    } else {
        c.result.content = {c.content_sha->digest().size_bytes, c.content_sha->digest().sha256, {}};
    }
    return c.result;
}

std::string_view Encoding::phase() const {
    if (compressed() && encrypted()) return "encode";
    if (encrypted()) return "encrypt";
    return compressed() ? "compress" : "store";
}

EncodedStream encode_file(const fs::path& plain, ByteSink& stored, const Encoding& encoding, Progress& progress) {
    std::error_code ec;
    const auto plain_size = fs::file_size(plain, ec);
    StoredEncoder encoder(encoding, stored, ec ? std::nullopt : std::optional<std::uint64_t>(plain_size));
    progress.begin(encoding.phase(), ec ? 0 : plain_size);
    CountingSink counted(&encoder.input(), &progress);
    pump_file(plain, counted);
    progress.end();
    return encoder.finish();
}

EncodedStream encode_file(const fs::path& plain, const fs::path& stored, const Encoding& encoding) {
    return write_new_file(stored, [&](ByteSink& sink) { return encode_file(plain, sink, encoding); });
}

}  // namespace soniabk
