// The manifest fields of compressed and encrypted backups: what the stored file decodes to, and how.
#include "repo/manifest.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

const Json& object_field(const Json& in, const char* section, const char* key, const fs::path& origin) {
    const auto it = in.find(key);
    if (it == in.end()) invalid_manifest(origin, fmt::format("missing field '{}.{}'", section, key));
    return *it;
}

std::string text_field(const Json& in, const char* section, const char* key, const fs::path& origin) {
    const Json& value = object_field(in, section, key, origin);
    if (!value.is_string()) invalid_manifest(origin, fmt::format("field '{}.{}' has the wrong type", section, key));
    return value.get<std::string>();
}

std::int64_t int_field(const Json& in, const char* section, const char* key, const fs::path& origin) {
    const Json& value = object_field(in, section, key, origin);
    if (!value.is_number_integer()) invalid_manifest(origin, fmt::format("field '{}.{}' has the wrong type", section, key));
    return value.get<std::int64_t>();
}

bool is_hex_digest(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

const Json* section(const Json& in, const char* key, const fs::path& origin) {
    const auto it = in.find(key);
    if (it == in.end() || it->is_null()) return nullptr;
    if (!it->is_object()) invalid_manifest(origin, fmt::format("field '{}' has the wrong type", key));
    return &*it;
}

EncryptionInfo parse_encryption(const Json& e, const fs::path& origin) {
    EncryptionInfo info;
    info.algorithm = text_field(e, "encryption", "algorithm", origin);
    if (info.algorithm != "aes-256-gcm") invalid_manifest(origin, fmt::format("unknown encryption '{}'", info.algorithm));
    info.format_version = static_cast<int>(int_field(e, "encryption", "format_version", origin));
    if (info.format_version != 1) invalid_manifest(origin, "encryption format_version is not 1");
    const std::int64_t chunk = int_field(e, "encryption", "chunk_bytes", origin);
    if (chunk < 16 || chunk > (1 << 24) || (chunk & (chunk - 1)) != 0) invalid_manifest(origin, "encryption chunk_bytes out of range");
    info.chunk_bytes = static_cast<std::uint64_t>(chunk);
    info.key_source = text_field(e, "encryption", "key_source", origin);
    if (info.key_source != "key_file" && info.key_source != "passphrase") invalid_manifest(origin, "unknown encryption key_source");
    if (const Json* kdf = section(e, "kdf", origin)) {
        info.kdf = KdfInfo{text_field(*kdf, "kdf", "name", origin), static_cast<int>(int_field(*kdf, "kdf", "log2_n", origin)),
                           static_cast<int>(int_field(*kdf, "kdf", "r", origin)),
                           static_cast<int>(int_field(*kdf, "kdf", "p", origin))};
    }
    if (info.kdf.has_value() != (info.key_source == "passphrase")) invalid_manifest(origin, "encryption kdf does not fit its key_source");
    return info;
}

}  // namespace

void encoding_to_json(const Manifest& m, Json& out) {
    if (m.content) {
        Json content = {{"size_bytes", m.content->size_bytes}};
        if (!m.content->sha256.empty()) content["sha256"] = m.content->sha256;
        if (!m.content->hmac_sha256.empty()) content["hmac_sha256"] = m.content->hmac_sha256;
        out["content"] = content;
    }
    if (m.compression) out["compression"] = {{"algorithm", m.compression->algorithm}, {"level", m.compression->level}};
    if (m.encryption) {
        const EncryptionInfo& e = *m.encryption;
        Json kdf = nullptr;
        if (e.kdf) kdf = {{"name", e.kdf->name}, {"log2_n", e.kdf->log2_n}, {"r", e.kdf->r}, {"p", e.kdf->p}};
        out["encryption"] = {{"algorithm", e.algorithm}, {"format_version", e.format_version},
                             {"chunk_bytes", e.chunk_bytes}, {"key_source", e.key_source}, {"kdf", kdf}};
    }
}

void parse_encoding(const Json& in, const fs::path& origin, Manifest& m) {
    if (const Json* c = section(in, "compression", origin)) {
        m.compression = CompressionInfo{text_field(*c, "compression", "algorithm", origin),
                                        static_cast<int>(int_field(*c, "compression", "level", origin))};
        if (m.compression->algorithm != "zstd") invalid_manifest(origin, fmt::format("unknown compression '{}'", m.compression->algorithm));
    }
    if (const Json* e = section(in, "encryption", origin)) m.encryption = parse_encryption(*e, origin);
    if (const Json* c = section(in, "content", origin)) {
        ContentInfo content;
        const std::int64_t size = int_field(*c, "content", "size_bytes", origin);
        if (size < 0) invalid_manifest(origin, "content.size_bytes is negative");
        content.size_bytes = static_cast<std::uint64_t>(size);
        if (c->contains("sha256")) content.sha256 = text_field(*c, "content", "sha256", origin);
        if (c->contains("hmac_sha256")) content.hmac_sha256 = text_field(*c, "content", "hmac_sha256", origin);
        m.content = std::move(content);
    }
    if (!m.is_encoded() && !m.content) return;
    if (m.format_version < manifest_encoded_format_version) invalid_manifest(origin, "an encoded backup needs format_version 2");
    if (!m.content || !m.is_encoded()) invalid_manifest(origin, "'content' and 'compression'/'encryption' come together");
    // Encrypted backups carry only the keyed digest: a plain hash would let anyone confirm a guessed content.
    const std::string& digest = m.encryption ? m.content->hmac_sha256 : m.content->sha256;
    const std::string& other = m.encryption ? m.content->sha256 : m.content->hmac_sha256;
    if (!is_hex_digest(digest) || !other.empty()) {
        invalid_manifest(origin, m.encryption ? "encrypted backups need content.hmac_sha256 (and no content.sha256)"
                                     : "compressed backups need content.sha256");
    }
}

void pages_to_json(const Manifest& m, Json& out) {
    if (!m.pages) return;
    const PagesInfo& p = *m.pages;
    out["pages"] = {{"parent_backup_id", p.parent_backup_id.empty() ? Json(nullptr) : Json(p.parent_backup_id)},
                    {"map_depth", p.map_depth},
                    {"page_size", p.page_size},
                    {"page_count", p.page_count},
                    {"pages_new", p.pages_new},
                    {"stored_bytes_added", p.stored_bytes_added},
                    {"packs_added", p.packs_added}};
}

void parse_pages(const Json& in, const fs::path& origin, Manifest& m) {
    const Json* p = section(in, "pages", origin);
    if (p == nullptr) return;
    if (m.format_version < manifest_pages_format_version) invalid_manifest(origin, "a 'pages' section needs format_version 3");
    if (!m.content || !m.compression) invalid_manifest(origin, "page-store backups need 'content' and 'compression'");
    PagesInfo info;
    if (const auto it = p->find("parent_backup_id"); it != p->end() && !it->is_null()) {
        info.parent_backup_id = text_field(*p, "pages", "parent_backup_id", origin);
    }
    const auto count = [&](const char* key) {
        const std::int64_t value = int_field(*p, "pages", key, origin);
        if (value < 0) invalid_manifest(origin, fmt::format("field 'pages.{}' is negative", key));
        return static_cast<std::uint64_t>(value);
    };
    info.map_depth = static_cast<int>(count("map_depth"));
    info.page_size = count("page_size");
    info.page_count = count("page_count");
    info.pages_new = count("pages_new");
    info.stored_bytes_added = count("stored_bytes_added");
    info.packs_added = count("packs_added");
    if (info.page_size * info.page_count != m.content->size_bytes) {
        invalid_manifest(origin, "pages.page_size * pages.page_count differs from content.size_bytes");
    }
    m.pages = info;
}

}  // namespace soniabk
