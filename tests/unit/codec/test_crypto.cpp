#include "byte_sinks.hpp"
#include "codec/crypto.hpp"
#include "base/error.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <numeric>

using namespace soniabk;

namespace {

SecretBytes bytes_from(unsigned char first, std::size_t size) {
    SecretBytes out(size);
    std::iota(out.data(), out.data() + size, first);
    return out;
}

// The fixed header of docs/FORMAT.md's test vectors (a real run takes salt and nonce prefix from RAND_bytes).
EncryptionHeader vector_header(KeySource source, std::uint8_t chunk_log2, ScryptParams scrypt = {0, 0, 0}) {
    EncryptionHeader h;
    h.key_source = source;
    h.chunk_log2 = chunk_log2;
    h.scrypt = scrypt;
    std::iota(h.salt.begin(), h.salt.end(), static_cast<unsigned char>(0xa0));
    std::iota(h.nonce_prefix.begin(), h.nonce_prefix.end(), static_cast<unsigned char>(0xc0));
    return h;
}

std::string encrypt(const std::string& plain, const SecretBytes& master, EncryptionHeader header, std::size_t piece = 7) {
    const FileKeys keys = derive_file_keys(master, header);
    test::StringSink out;
    EncryptSink sink(out, header, keys);
    test::feed(sink, plain, piece);
    REQUIRE(out.finished);
    return out.bytes;
}

// Decrypts a whole stored stream the way the decoder does: header first, then the chunks.
std::string decrypt(const std::string& stored, const SecretBytes& master, std::size_t piece = 5) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(stored.data());
    const EncryptionHeader header = parse_encryption_header(bytes, stored.size(), "f.enc");
    const FileKeys keys = derive_file_keys(master, header);
    test::StringSink out;
    DecryptSink sink(out, header, keys, "f.enc");
    test::feed(sink, stored, piece);
    return out.bytes;
}

std::string decrypt_error_code(const std::string& stored, const SecretBytes& master) {
    try {
        decrypt(stored, master);
    } catch (const Error& e) {
        CHECK(e.exit_code() == 3);
        return e.code();
    }
    return "no error";
}

const std::string vector_plaintext = "soniabk encrypts backups in chunks.\n";

}  // namespace

TEST_CASE("crypto: the test vectors of docs/FORMAT.md (computed independently with Python's cryptography)") {
    SECTION("key file, 16-byte chunks, three chunks") {
        const SecretBytes key = bytes_from(0x00, 32);
        const EncryptionHeader header = vector_header(KeySource::key_file, 4);
        const std::string stored = encrypt(vector_plaintext, key, header);
        CHECK(test::to_hex(stored) ==
              "534f4e4941454e430101010400000000a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
              "c0c1c2c3c4c5c6c74401bbc26f3cc4f41250a7bfde03a97cd26cca3d1f760f4a6e0204331f0b250e20bd61af9164af94"
              "8502864842cc5b96bf492fcf37850376d6d6c70239f2b4ebfc37744897c4726655c838347eb1e19674a11ed969c00e13"
              "5a488065cd4650e7eb0e8159");
        HmacSink mac(derive_file_keys(key, header).mac_key);
        test::feed(mac, vector_plaintext);
        CHECK(mac.digest().sha256 == "2bd8cf91de80706f5777f5666aef0da3553eeb534a0930abc46f7d738ef5914f");
        CHECK(decrypt(stored, key) == vector_plaintext);
    }
    SECTION("passphrase through scrypt (N=2^10, r=8, p=1), empty plaintext: one empty final chunk") {
        const std::string pass = "correct horse battery staple";
        const EncryptionSecret secret{KeySource::passphrase, SecretBytes(pass.data(), pass.size()), {10, 8, 1}};
        const EncryptionHeader header = vector_header(KeySource::passphrase, 20, {10, 8, 1});
        const SecretBytes master = master_key(secret, header);
        CHECK(test::to_hex(std::string(reinterpret_cast<const char*>(master.data()), master.size())) ==
              "688b86c7c29f4a4d1a644591665c23e8863a7391d4721643c1afdec75d5b727a");
        const std::string stored = encrypt("", master, header);
        CHECK(test::to_hex(stored) ==
              "534f4e4941454e43010102140a080100a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
              "c0c1c2c3c4c5c6c79b35c9304e7c88e1ffac0cadf6befdbb71da40f87ff9d33a37f47e738b738c9b");
        CHECK(decrypt(stored, master).empty());
    }
}

TEST_CASE("crypto: round trips at every chunk-boundary size") {
    const SecretBytes key = bytes_from(0x40, 32);
    SECTION("16-byte chunks") {
        for (std::size_t size : {0, 1, 15, 16, 17, 31, 32, 33, 100}) {
            INFO("plaintext of " << size << " bytes");
            const std::string plain = test::noise(size);
            const std::string stored = encrypt(plain, key, vector_header(KeySource::key_file, 4));
            const std::size_t chunks = size == 0 ? 1 : (size + 15) / 16;
            CHECK(stored.size() == encryption_header_bytes + size + chunks * gcm_tag_bytes);
            CHECK(decrypt(stored, key) == plain);
        }
    }
    SECTION("the real 1 MiB chunks: 1 MiB - 1, 1 MiB, 1 MiB + 1, 2 MiB, fed in odd pieces") {
        const std::size_t mib = std::size_t{1} << 20;
        for (std::size_t size : {mib - 1, mib, mib + 1, 2 * mib}) {
            INFO("plaintext of " << size << " bytes");
            const std::string plain = test::noise(size, size);
            EncryptionHeader header = new_encryption_header(KeySource::key_file, default_chunk_log2, {});
            const std::string stored = encrypt(plain, key, header, 65537);
            const std::size_t chunks = (size + mib - 1) / mib;
            CHECK(stored.size() == encryption_header_bytes + size + chunks * gcm_tag_bytes);
            CHECK(decrypt(stored, key, 300007) == plain);
        }
    }
}

TEST_CASE("crypto: every kind of damage is detected, and nothing unauthenticated is passed on") {
    const SecretBytes key = bytes_from(0x40, 32);
    const std::string plain = test::noise(100);  // 7 chunks of 16 bytes (the last holds 4)
    const std::string stored = encrypt(plain, key, vector_header(KeySource::key_file, 4));
    const std::size_t sealed = 16 + gcm_tag_bytes;
    auto chunk = [&](const std::string& s, std::size_t i) { return s.substr(encryption_header_bytes + i * sealed, sealed); };

    SECTION("any single flipped bit, in the header, a chunk or a tag") {
        for (std::size_t at = 0; at < stored.size(); ++at) {
            std::string damaged = stored;
            damaged[at] = static_cast<char>(damaged[at] ^ (1 << (at % 8)));
            INFO("bit flipped in byte " << at);
            CHECK(decrypt_error_code(damaged, key) != "no error");
        }
    }
    SECTION("truncation anywhere: inside the header, at a chunk boundary, inside a chunk") {
        for (std::size_t length = 0; length < stored.size(); ++length) {
            INFO("truncated to " << length << " bytes");
            CHECK(decrypt_error_code(stored.substr(0, length), key) != "no error");
        }
        CHECK(decrypt_error_code(stored.substr(0, encryption_header_bytes + 3 * sealed), key) == "tampered");
    }
    SECTION("two chunks swapped") {
        std::string reordered = stored.substr(0, encryption_header_bytes) + chunk(stored, 1) + chunk(stored, 0) +
                                stored.substr(encryption_header_bytes + 2 * sealed);
        CHECK(decrypt_error_code(reordered, key) == "tampered");
    }
    SECTION("a chunk spliced from another file encrypted with the same key") {
        const std::string other = encrypt(test::noise(100, 7), key, new_encryption_header(KeySource::key_file, 4, {}));
        std::string spliced = stored;
        spliced.replace(encryption_header_bytes + 2 * sealed, sealed, chunk(other, 2));
        CHECK(decrypt_error_code(spliced, key) == "tampered");
        // Another file's (valid) header on this file's chunks fails too: its salt gives other chunk keys.
        CHECK(decrypt_error_code(other.substr(0, encryption_header_bytes) + stored.substr(encryption_header_bytes), key) ==
              "tampered");
    }
    SECTION("bytes appended: a byte, a tag's worth, a copy of the last chunk") {
        CHECK(decrypt_error_code(stored + "x", key) == "tampered");
        CHECK(decrypt_error_code(stored + std::string(16, '\0'), key) == "tampered");
        CHECK(decrypt_error_code(stored + stored.substr(stored.size() - 20), key) == "tampered");
    }
    SECTION("the final chunk dropped") {
        CHECK(decrypt_error_code(stored.substr(0, encryption_header_bytes + 6 * sealed), key) == "tampered");
    }
    SECTION("a failing chunk's plaintext never reaches the next sink") {
        std::string damaged = stored;
        damaged[encryption_header_bytes + 2 * sealed + 3] ^= 1;
        const auto* bytes = reinterpret_cast<const unsigned char*>(damaged.data());
        const EncryptionHeader header = parse_encryption_header(bytes, damaged.size(), "f.enc");
        test::StringSink out;
        DecryptSink sink(out, header, derive_file_keys(key, header), "f.enc");
        CHECK_THROWS_WITH(test::feed(sink, damaged, 1), Catch::Contains("f.enc") && Catch::Contains("chunk 2"));
        CHECK(out.bytes == plain.substr(0, 32));
    }
}

TEST_CASE("crypto: a wrong key or passphrase is refused from the header, before any output") {
    const SecretBytes key = bytes_from(0x40, 32);
    const std::string stored = encrypt("secret memories", key, vector_header(KeySource::key_file, 4));
    SECTION("wrong key") {
        CHECK(decrypt_error_code(stored, bytes_from(0x41, 32)) == "wrong_key");
        const auto* bytes = reinterpret_cast<const unsigned char*>(stored.data());
        const EncryptionHeader header = parse_encryption_header(bytes, stored.size(), "f.enc");
        test::StringSink out;
        CHECK_THROWS_WITH(DecryptSink(out, header, derive_file_keys(bytes_from(0x41, 32), header), "f.enc"),
                          Catch::Contains("f.enc: wrong key"));
        CHECK(out.bytes.empty());
    }
    SECTION("wrong passphrase") {
        const EncryptionHeader header = vector_header(KeySource::passphrase, 4, {10, 8, 1});
        const std::string pass = "the right passphrase";
        const EncryptionSecret secret{KeySource::passphrase, SecretBytes(pass.data(), pass.size()), {10, 8, 1}};
        const std::string sealed = encrypt("secret", master_key(secret, header), header);
        KeyOptions wrong;
        wrong.passphrase = [](bool) { return SecretBytes("the wrong passphrase", 20); };
        const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
        const EncryptionHeader parsed = parse_encryption_header(bytes, sealed.size(), "p.enc");
        const FileKeys keys = derive_file_keys(master_key_for(parsed, wrong, "p.enc"), parsed);
        CHECK_THROWS_WITH(require_matching_key(keys, parsed, "p.enc"), Catch::Contains("wrong passphrase"));
        KeyOptions right;
        right.passphrase = [](bool) { return SecretBytes("the right passphrase", 20); };
        CHECK(decrypt(sealed, master_key_for(parsed, right, "p.enc")) == "secret");
    }
    SECTION("the kind of key the header names must be at hand") {
        const auto* bytes = reinterpret_cast<const unsigned char*>(stored.data());
        const EncryptionHeader header = parse_encryption_header(bytes, stored.size(), "f.enc");
        KeyOptions only_passphrase;
        only_passphrase.passphrase = [](bool) { return SecretBytes("whatever it is", 14); };
        CHECK_THROWS_WITH(master_key_for(header, only_passphrase, "f.enc"), Catch::Contains("--key-file"));
    }
}

TEST_CASE("crypto: headers that are not ours or out of bounds are refused") {
    const SecretBytes key = bytes_from(0x40, 32);
    const std::string stored = encrypt("x", key, vector_header(KeySource::key_file, 4));
    auto code_of_header = [](std::string header) {
        try {
            parse_encryption_header(reinterpret_cast<const unsigned char*>(header.data()), header.size(), "h");
        } catch (const Error& e) {
            return e.code();
        }
        return std::string("parsed");
    };
    const std::string h = stored.substr(0, encryption_header_bytes);
    CHECK(code_of_header(h) == "parsed");
    CHECK(code_of_header("SQLite format 3") == "not_encrypted");
    CHECK(code_of_header(h.substr(0, 40)) == "corrupt");
    auto with = [&](std::size_t at, unsigned char value) {
        std::string copy = h;
        copy[at] = static_cast<char>(value);
        return copy;
    };
    CHECK(code_of_header(with(8, 2)) == "corrupt");    // format version
    CHECK(code_of_header(with(9, 7)) == "corrupt");    // cipher
    CHECK(code_of_header(with(10, 3)) == "corrupt");   // key source
    CHECK(code_of_header(with(11, 30)) == "corrupt");  // chunk size
    CHECK(code_of_header(with(12, 5)) == "corrupt");   // scrypt parameters on a key-file header
    std::string greedy = with(10, 2);
    greedy[12] = 24;  // scrypt asking for 128 * 8 * 2^24 bytes = 2 GiB
    greedy[13] = 8;
    greedy[14] = 1;
    CHECK(code_of_header(greedy) == "corrupt");
}
