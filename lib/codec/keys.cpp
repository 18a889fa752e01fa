#include "codec/keys.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <string_view>

namespace soniabk {

namespace {

constexpr std::string_view key_line_prefix = "soniabk-key-v1 ";
constexpr std::string_view key_file_comment =
    "# soniabk backup encryption key (AES-256). Whoever holds this file can read the backups;\n"
    "# without it nobody can. Keep a copy somewhere safe, away from the backups.\n";
constexpr std::size_t max_key_file_bytes = 4096;

Error bad_key_file(const fs::path& path, const std::string& why) {
    return Error(ErrorCategory::usage, ErrorCode::key_invalid, fmt::format("{}: not a soniabk key file: {}", path.string(), why),
                 path);
}

int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes the key line's 64 hex digits; false when the line is anything else.
bool decode_key_line(std::string_view line, SecretBytes& key) {
    if (!line.starts_with(key_line_prefix)) return false;
    line.remove_prefix(key_line_prefix.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.size() != 2 * key_bytes) return false;
    for (std::size_t i = 0; i < key_bytes; ++i) {
        const int hi = hex_value(static_cast<unsigned char>(line[2 * i]));
        const int lo = hex_value(static_cast<unsigned char>(line[2 * i + 1]));
        if (hi < 0 || lo < 0) return false;
        key.data()[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return true;
}

}  // namespace

SecretBytes::SecretBytes(const void* data, std::size_t size) : bytes_(size) {
    if (size > 0) std::memcpy(bytes_.data(), data, size);
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    wipe();
    bytes_ = std::move(other.bytes_);
    return *this;
}

SecretBytes::~SecretBytes() { wipe(); }

void SecretBytes::wipe() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

SecretBytes read_key_file(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw Error(ErrorCategory::usage, ErrorCode::key_missing, fmt::format("{}: key file not found", path.string()), path);
    }
    platform::InputFile in(path);
    SecretBytes content(max_key_file_bytes + 1);
    std::size_t used = 0;
    while (const std::size_t n = in.read(content.data() + used, content.size() - used)) {
        used += n;
        if (used == content.size()) throw bad_key_file(path, "larger than a key file can be");
    }
    SecretBytes key(key_bytes);
    int keys_found = 0;
    std::string_view rest(reinterpret_cast<const char*>(content.data()), used);
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (line.empty() || line == "\r" || line.starts_with('#')) continue;
        if (!decode_key_line(line, key)) throw bad_key_file(path, "expected one line 'soniabk-key-v1 <64 hex digits>'");
        ++keys_found;
    }
    if (keys_found != 1) throw bad_key_file(path, keys_found == 0 ? "no key line" : "more than one key line");
    return key;
}

Json KeygenResult::to_json() const { return {{"ok", true}, {"path", path.string()}, {"key_bits", key_bytes * 8}}; }

KeygenResult generate_key_file(const fs::path& path) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec))) {
        throw Error(ErrorCategory::usage, ErrorCode::exists,
                    fmt::format("{}: already exists; keygen never overwrites a key (choose a new file name)",
                                path.string()), path);
    }
    SecretBytes key(key_bytes);
    if (RAND_priv_bytes(key.data(), static_cast<int>(key.size())) != 1) {
        throw runtime_error(ErrorCode::crypto, "OpenSSL could not produce random bytes for a key");
    }
    static constexpr char hex[] = "0123456789abcdef";
    SecretBytes text(key_file_comment.size() + key_line_prefix.size() + 2 * key_bytes + 1);
    char* out = reinterpret_cast<char*>(text.data());
    out = std::copy(key_file_comment.begin(), key_file_comment.end(), out);
    out = std::copy(key_line_prefix.begin(), key_line_prefix.end(), out);
    for (std::size_t i = 0; i < key_bytes; ++i) {
        *out++ = hex[key.data()[i] >> 4];
        *out++ = hex[key.data()[i] & 0xf];
    }
    *out = '\n';
    // Written under a temp name, then given its name only if that name is still free.
    const fs::path temp = temp_path_for(path);
    try {
        auto file = platform::OutputFile::create_new(temp);
        file.write(text.data(), text.size());
        file.sync();
        file.close();
        platform::rename_no_replace(temp, path);
    } catch (...) {
        fs::remove(temp, ec);
        throw;
    }
    platform::sync_directory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
    return {path};
}

}  // namespace soniabk
