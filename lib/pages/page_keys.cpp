#include "pages/page_keys.hpp"

#include "base/error.hpp"
#include "base/json.hpp"
#include "pages/page_id.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

namespace soniabk::pages {

namespace {

// The salt and parameters the store's keys are derived with, held as an encryption header so that the
// stream format's own derivation (scrypt for passphrases, HKDF, key check) applies unchanged.
EncryptionHeader key_header(KeySource source, const ScryptParams& scrypt) {
    EncryptionHeader header;
    header.key_source = source;
    header.scrypt = source == KeySource::passphrase ? scrypt : ScryptParams{0, 0, 0};
    if (RAND_bytes(header.salt.data(), static_cast<int>(header.salt.size())) != 1) {
        throw runtime_error(ErrorCode::crypto, "no random bytes for the page store's salt");
    }
    return header;
}

template <std::size_t N>
void from_hex(const Json& value, std::array<unsigned char, N>& out, const fs::path& origin) {
    const std::string text = value.is_string() ? value.get<std::string>() : std::string();
    if (text.size() != 2 * N) throw runtime_error(ErrorCode::corrupt, fmt::format("{}: bad hex field", origin.string()), origin);
    for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<unsigned char>(std::stoi(text.substr(2 * i, 2), nullptr, 16));
}

Json to_record(const EncryptionHeader& header) {
    Json kdf = nullptr;
    if (header.key_source == KeySource::passphrase) {
        kdf = {{"name", "scrypt"}, {"log2_n", header.scrypt.log2_n}, {"r", header.scrypt.r}, {"p", header.scrypt.p}};
    }
    return {{"format", "soniabk-page-key"},
            {"format_version", 1},
            {"key_source", to_string(header.key_source)},
            {"kdf", kdf},
            {"salt", to_hex(header.salt.data(), header.salt.size())},
            {"key_check", to_hex(header.key_check.data(), header.key_check.size())}};
}

EncryptionHeader from_record(const std::string& text, const fs::path& origin) {
    try {
        const Json j = Json::parse(text);
        EncryptionHeader header;
        if (j.at("format") != "soniabk-page-key" || j.at("format_version") != 1) throw std::runtime_error("format");
        header.key_source = j.at("key_source") == "passphrase" ? KeySource::passphrase : KeySource::key_file;
        if (header.key_source == KeySource::passphrase) {
            const Json& kdf = j.at("kdf");
            header.scrypt = {kdf.at("log2_n").get<std::uint8_t>(), kdf.at("r").get<std::uint8_t>(),
                             kdf.at("p").get<std::uint8_t>()};
        } else {
            header.scrypt = {0, 0, 0};
        }
        from_hex(j.at("salt"), header.salt, origin);
        from_hex(j.at("key_check"), header.key_check, origin);
        return header;
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        throw runtime_error(ErrorCode::corrupt, fmt::format("{}: not a valid page store key record", origin.string()),
                            origin);
    }
}

PageStoreKeys keys_from(const SecretBytes& master, const EncryptionHeader& header, const fs::path& origin) {
    FileKeys derived = derive_file_keys(master, header);
    require_matching_key(derived, header, origin);
    return {std::move(derived.mac_key), std::move(derived.data_key)};
}

}  // namespace

std::optional<PageStoreKeys> page_keys_for_writing(storage::Storage& storage, const Encoding& encoding) {
    if (!encoding.encrypted()) return std::nullopt;
    const EncryptionSecret& secret = *encoding.secret();
    const fs::path origin = storage.location(key_record_key);
    if (storage.stat(key_record_key)) {
        const EncryptionHeader header = from_record(storage.read_all(key_record_key), origin);
        if (header.key_source != secret.source) {
            throw runtime_error(ErrorCode::wrong_key,
                                fmt::format("{}: this page store is encrypted with a {}, not a {}", origin.string(),
                                            to_string(header.key_source), to_string(secret.source)),
                                origin);
        }
        return keys_from(master_key(secret, header), header, origin);
    }
    EncryptionHeader header = key_header(secret.source, secret.scrypt);
    const SecretBytes master = master_key(secret, header);
    header.key_check = derive_file_keys(master, header).check;
    storage.write_all(key_record_key, to_record(header).dump(2) + "\n", storage::Overwrite::never);
    return keys_from(master, header, origin);
}

PageStoreKeys page_keys_for_reading(const storage::Storage& storage, const KeyOptions& keys) {
    const fs::path origin = storage.location(key_record_key);
    const EncryptionHeader header = from_record(storage.read_all(key_record_key), origin);
    return keys_from(master_key_for(header, keys, origin), header, origin);
}

}  // namespace soniabk::pages
