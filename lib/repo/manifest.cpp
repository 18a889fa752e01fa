#include "repo/manifest.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>


namespace soniabk {

using json = Json;

namespace {

const json& field(const json& object, const char* key, json::value_t type, const fs::path& origin) {
    const auto it = object.find(key);
    if (it == object.end()) invalid_manifest(origin, fmt::format("missing field '{}'", key));
    const bool number_ok = type == json::value_t::number_float && it->is_number();
    const bool unsigned_ok = type == json::value_t::number_integer && it->is_number_integer();
    if (it->type() != type && !number_ok && !unsigned_ok) invalid_manifest(origin, fmt::format("field '{}' has the wrong type", key));
    return *it;
}

std::string text(const json& o, const char* key, const fs::path& origin) {
    return field(o, key, json::value_t::string, origin).get<std::string>();
}

std::int64_t integer(const json& o, const char* key, const fs::path& origin) {
    return field(o, key, json::value_t::number_integer, origin).get<std::int64_t>();
}

bool is_hex_sha256(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

DatabaseInfo parse_database(const json& o, const fs::path& origin) {
    DatabaseInfo info;
    info.sqlite_version = text(o, "sqlite_version", origin);
    info.page_size = integer(o, "page_size", origin);
    info.page_count = integer(o, "page_count", origin);
    info.source_journal_mode = text(o, "source_journal_mode", origin);
    info.user_version = integer(o, "user_version", origin);
    if (const auto it = o.find("schema_version"); it != o.end() && !it->is_null()) info.schema_version = *it;
    if (const auto it = o.find("memories"); it != o.end() && !it->is_null()) {
        if (!it->is_object()) invalid_manifest(origin, "field 'memories' has the wrong type");
        info.memories = MemoryCounts{integer(*it, "total", origin), integer(*it, "archived", origin)};
    }
    return info;
}

std::uint64_t count(const json& o, const char* key, const fs::path& origin) {
    const std::int64_t value = integer(o, key, origin);
    if (value < 0) invalid_manifest(origin, fmt::format("'{}' is negative", key));
    return static_cast<std::uint64_t>(value);
}

StateInfo parse_state(const json& o, const fs::path& origin) {
    StateInfo info;
    info.sessions_count = count(o, "sessions_count", origin);
    info.confirmations_count = count(o, "confirmations_count", origin);
    info.dlq_count = count(o, "dlq_count", origin);
    info.breakers_count = count(o, "breakers_count", origin);
    info.gateway_backup_id = text(o, "gateway_backup_id", origin);
    info.gateway_timestamp = text(o, "gateway_timestamp", origin);
    if (const auto it = o.find("gateway_path"); it != o.end() && !it->is_null()) info.gateway_path = text(o, "gateway_path", origin);
    return info;
}

}  // namespace

json Manifest::to_json() const {
    json j = {
        {"format", "soniabk-manifest"},
        {"format_version", format_version},
        {"backup_id", backup_id},
        {"kind", kind},
        {"label", label},
        {"created_at", format_iso8601(created_at)},
        {"source", source},
        {"method", method},
        {"file", file},
        {"size_bytes", size_bytes},
        {"sha256", sha256},
        {"duration_seconds", duration_seconds},
        {"tool_version", tool_version},
    };
    if (!set_id.empty()) j["set_id"] = set_id;
    if (database) {
        json memories = nullptr;
        if (database->memories) memories = {{"total", database->memories->total}, {"archived", database->memories->archived}};
        j["database"] = {
            {"sqlite_version", database->sqlite_version},
            {"page_size", database->page_size},
            {"page_count", database->page_count},
            {"source_journal_mode", database->source_journal_mode},
            {"user_version", database->user_version},
            {"schema_version", database->schema_version.value_or(nullptr)},
            {"memories", memories},
        };
    }
    if (check) j["check"] = {{"mode", check->mode}, {"result", check->result}};
    if (state) {
        j["state"] = {
            {"sessions_count", state->sessions_count},
            {"confirmations_count", state->confirmations_count},
            {"dlq_count", state->dlq_count},
            {"breakers_count", state->breakers_count},
            {"gateway_backup_id", state->gateway_backup_id},
            {"gateway_timestamp", state->gateway_timestamp},
            {"gateway_path", state->gateway_path.empty() ? json(nullptr) : json(state->gateway_path)},
        };
    }
    encoding_to_json(*this, j);
    pages_to_json(*this, j);
    return j;
}

void invalid_manifest(const fs::path& origin, const std::string& why) {
    throw runtime_error(ErrorCode::manifest_invalid, fmt::format("{}: invalid manifest: {}", origin.string(), why), origin);
}

Manifest parse_manifest(std::string_view input, const fs::path& origin) {
    json j = json::parse(input, nullptr, false);
    if (j.is_discarded()) invalid_manifest(origin, "not valid JSON (truncated or edited by hand?)");
    if (!j.is_object()) invalid_manifest(origin, "not a JSON object");
    const auto format = j.find("format");
    if (format == j.end() || !format->is_string() || *format != "soniabk-manifest") {
        invalid_manifest(origin, "not a soniabk manifest");
    }
    Manifest m;
    m.format_version = static_cast<int>(integer(j, "format_version", origin));
    if (m.format_version > manifest_format_version) {
        invalid_manifest(origin, fmt::format("format version {} is newer than this soniabk understands ({})", m.format_version,
                                    manifest_format_version));
    }
    m.backup_id = text(j, "backup_id", origin);
    if (!m.backup_id.starts_with("bkp_")) invalid_manifest(origin, "backup_id does not start with 'bkp_'");
    m.kind = text(j, "kind", origin);
    if (m.kind != "db" && m.kind != "state") invalid_manifest(origin, fmt::format("unknown kind '{}'", m.kind));
    m.label = text(j, "label", origin);
    const auto created = parse_iso8601(text(j, "created_at", origin));
    if (!created) invalid_manifest(origin, "created_at is not an ISO-8601 UTC time");
    m.created_at = *created;
    m.source = text(j, "source", origin);
    m.method = text(j, "method", origin);
    m.file = text(j, "file", origin);
    // The data file must sit beside its manifest: a name with a directory part could point anywhere.
    if (m.file.empty() || fs::path(m.file).filename().string() != m.file || m.file == "." || m.file == "..") {
        invalid_manifest(origin, fmt::format("file '{}' is not a plain file name", m.file));
    }
    const std::int64_t size = integer(j, "size_bytes", origin);
    if (size < 0) invalid_manifest(origin, "size_bytes is negative");
    m.size_bytes = static_cast<std::uint64_t>(size);
    m.sha256 = text(j, "sha256", origin);
    if (!is_hex_sha256(m.sha256)) invalid_manifest(origin, "sha256 is not 64 lowercase hex digits");
    m.duration_seconds = field(j, "duration_seconds", json::value_t::number_float, origin).get<double>();
    m.tool_version = text(j, "tool_version", origin);
    if (const auto it = j.find("set_id"); it != j.end() && !it->is_null()) {
        m.set_id = text(j, "set_id", origin);
        if (!m.set_id.starts_with("set_")) invalid_manifest(origin, "set_id does not start with 'set_'");
    }
    if (const auto it = j.find("database"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) invalid_manifest(origin, "field 'database' has the wrong type");
        m.database = parse_database(*it, origin);
    }
    if (const auto it = j.find("check"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) invalid_manifest(origin, "field 'check' has the wrong type");
        m.check = CheckRecord{text(*it, "mode", origin), text(*it, "result", origin)};
    }
    if (const auto it = j.find("state"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) invalid_manifest(origin, "field 'state' has the wrong type");
        m.state = parse_state(*it, origin);
    }
    parse_encoding(j, origin, m);
    parse_pages(j, origin, m);
    // Encrypted state backups leave the section out: their manifests tell nothing about the content.
    if (m.kind == "state" && !m.state && !m.encryption) invalid_manifest(origin, "kind 'state' without a 'state' section");
    return m;
}

Manifest read_manifest(const fs::path& path) {
    // One open, one read into one string: `list` and `status` read thousands of manifests.
    std::string content;
    try {
        platform::InputFile in(path);
        content.resize(static_cast<std::size_t>(in.size()));
        std::size_t got = 0;
        while (got < content.size()) {
            const std::size_t n = in.read(content.data() + got, content.size() - got);
            if (n == 0) break;
            got += n;
        }
        content.resize(got);
    } catch (const Error&) {
        throw runtime_error(ErrorCode::manifest_missing, path.string() + ": cannot read manifest", path);
    }
    return parse_manifest(content, path);
}

std::string write_manifest(storage::Storage& storage, const std::string& data_key, const Manifest& manifest) {
    const std::string key = manifest_key_for(data_key);
    try {
        storage.write_all(key, manifest.to_json().dump(2) + "\n", storage::Overwrite::never);
    } catch (const Error&) {
        // A backup whose manifest failed is taken back whole, manifest first, so a failed run leaves nothing
        // behind; if even that fails, what stays is what a kill leaves: an incomplete leftover prune removes.
        try {
            storage.remove(key);
            storage.remove(data_key);
        } catch (const Error&) {
        }
        throw;
    }
    return key;
}

std::string manifest_key_for(const std::string& data_key) { return data_key + std::string(manifest_suffix); }

fs::path manifest_path_for(const fs::path& data_path) {
    return data_path.parent_path() / (data_path.filename().string() + std::string(manifest_suffix));
}

void record_encoding(Manifest& manifest, const EncodedStream& encoded) {
    manifest.size_bytes = encoded.stored.size_bytes;
    manifest.sha256 = encoded.stored.sha256;
    if (!encoded.compression && !encoded.encryption) return;
    manifest.format_version = manifest_encoded_format_version;
    manifest.content = encoded.content;
    manifest.compression = encoded.compression;
    manifest.encryption = encoded.encryption;
    if (encoded.encryption) {
        manifest.database.reset();
        manifest.state.reset();
    }
}

}  // namespace soniabk
