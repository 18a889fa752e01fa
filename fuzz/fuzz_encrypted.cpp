// Encrypted streams: the header parser on arbitrary bytes; the chunk reader behind a valid header (fixed key,
// 16-byte chunks so that short inputs reach many chunks); and encrypt-damage-decrypt round trips.
#include "codec/crypto.hpp"
#include "fuzz_support.hpp"
#include "io/stream.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace {

struct FixedKey {
    soniabk::EncryptionHeader header;
    soniabk::FileKeys keys;
};

const FixedKey& fixed_key() {
    static const FixedKey fixed = [] {
        FixedKey k;
        k.header.chunk_log2 = soniabk::min_chunk_log2;
        k.header.scrypt = {0, 0, 0};
        std::memset(k.header.salt.data(), 0x5a, k.header.salt.size());
        std::memset(k.header.nonce_prefix.data(), 0xa5, k.header.nonce_prefix.size());
        const unsigned char master[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                          17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
        k.keys = soniabk::derive_file_keys(soniabk::SecretBytes(master, sizeof master), k.header);
        k.header.key_check = k.keys.check;
        return k;
    }();
    return fixed;
}

// Collects a stream in memory.
class BytesSink final : public soniabk::ByteSink {
public:
    void write(const void* data, std::size_t size) override {
        const auto* p = static_cast<const unsigned char*>(data);
        bytes.insert(bytes.end(), p, p + size);
    }
    void finish() override {}
    std::vector<unsigned char> bytes;
};

std::vector<unsigned char> decrypt(const std::vector<unsigned char>& sealed) {
    const FixedKey& k = fixed_key();
    BytesSink out;
    soniabk::DecryptSink sink(out, k.header, k.keys, "fuzz.enc");
    sink.write(sealed.data(), sealed.size());
    sink.finish();
    return out.bytes;
}

// Encrypts `plain`, damages the result as the input says (or not), and decrypts: an undamaged stream must
// come back exactly; a damaged one must be refused.
void round_trip(const std::uint8_t* data, std::size_t size, std::uint8_t mode) {
    if (size < 2) return;
    const std::size_t at = (std::size_t{data[0]} << 8) | data[1];
    const FixedKey& k = fixed_key();
    BytesSink sealed;
    soniabk::EncryptSink encrypt(sealed, k.header, k.keys);
    encrypt.write(data + 2, size - 2);
    encrypt.finish();
    std::vector<unsigned char> stored = sealed.bytes;
    const bool flip = mode & 4, cut = mode & 8;
    if (flip) stored[at % stored.size()] ^= static_cast<unsigned char>(1u << (mode >> 5));
    if (cut) stored.resize(at % stored.size());
    try {
        const std::vector<unsigned char> plain = decrypt(stored);
        if (flip || cut || plain.size() != size - 2 || !std::equal(plain.begin(), plain.end(), data + 2)) __builtin_trap();
    } catch (const soniabk::Error&) {
        if (!flip && !cut) __builtin_trap();  // an intact stream was refused
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];  // the first byte picks what is fuzzed
    ++data;
    --size;
    if (mode & 2) {
        round_trip(data, size, mode);
        return 0;
    }
    soniabk::fuzz::refusing_only_with_errors([&] {
        if (mode & 1) {
            soniabk::parse_encryption_header(data, size, "fuzz.enc");
            return;
        }
        const FixedKey& k = fixed_key();
        soniabk::CountingSink out;
        soniabk::DecryptSink decrypt(out, k.header, k.keys, "fuzz.enc");
        const auto header = k.header.serialize();
        decrypt.write(header.data(), header.size());
        decrypt.write(data, size);
        decrypt.finish();
    });
    return 0;
}
