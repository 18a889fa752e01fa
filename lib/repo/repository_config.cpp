#include "repo/repository_config.hpp"

#include "base/error.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>

namespace soniabk {

namespace {

constexpr std::string_view config_type = "soniabk-repository";

[[noreturn]] void invalid(const std::filesystem::path& origin, const std::string& why) {
    throw runtime_error(ErrorCode::repo_config_invalid,
                        fmt::format("{}: invalid repository config: {}", origin.string(), why), origin);
}

std::string text_field(const Json& j, const char* key, const std::filesystem::path& origin) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) invalid(origin, fmt::format("field '{}' is missing or not a string", key));
    return it->get<std::string>();
}

}  // namespace

std::string_view to_string(BackupFormat format) { return format == BackupFormat::files ? "files" : "pages"; }

std::string_view to_string(EncryptionPolicy policy) {
    switch (policy) {
        case EncryptionPolicy::plain: return "plain";
        case EncryptionPolicy::key_file: return "key_file";
        case EncryptionPolicy::passphrase: return "passphrase";
    }
    return "plain";
}

std::string_view to_string(ConfigOrigin origin) { return origin == ConfigOrigin::init ? "init" : "adopted"; }

std::optional<BackupFormat> parse_backup_format(std::string_view text) {
    if (text == "files") return BackupFormat::files;
    if (text == "pages") return BackupFormat::pages;
    return std::nullopt;
}

std::optional<EncryptionPolicy> parse_encryption_policy(std::string_view text) {
    for (const auto policy : {EncryptionPolicy::plain, EncryptionPolicy::key_file, EncryptionPolicy::passphrase}) {
        if (text == to_string(policy)) return policy;
    }
    return std::nullopt;
}

Json RepositoryConfig::to_json() const {
    return {{"type", std::string(config_type)},
            {"version", repository_config_version},
            {"repository_id", repository_id},
            {"format", std::string(to_string(format))},
            {"encryption", std::string(to_string(encryption))},
            {"source_db", source_db.empty() ? Json(nullptr) : Json(source_db)},
            {"created_at", format_iso8601(created_at)},
            {"tool_version", tool_version},
            {"origin", std::string(to_string(origin))}};
}

std::string new_repository_id() {
    std::array<unsigned char, 8> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw runtime_error(ErrorCode::crypto, "OpenSSL could not produce random bytes");
    }
    std::string id = "repo_";
    for (const unsigned char byte : random) id += fmt::format("{:02x}", byte);
    return id;
}

RepositoryConfig parse_repository_config(std::string_view text, const std::filesystem::path& origin) {
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) invalid(origin, "not a JSON object (truncated or edited by hand?)");
    if (j.value("type", std::string()) != config_type) invalid(origin, "not a soniabk repository config");
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer()) invalid(origin, "field 'version' is missing");
    if (version->get<int>() > repository_config_version) {
        invalid(origin, fmt::format("version {} is newer than this soniabk understands ({})", version->get<int>(),
                                    repository_config_version));
    }
    RepositoryConfig config;
    config.repository_id = text_field(j, "repository_id", origin);
    const std::string format = text_field(j, "format", origin);
    const auto parsed_format = parse_backup_format(format);
    if (!parsed_format) invalid(origin, fmt::format("format '{}' is neither 'files' nor 'pages'", format));
    config.format = *parsed_format;
    const std::string encryption = text_field(j, "encryption", origin);
    const auto policy = parse_encryption_policy(encryption);
    if (!policy) invalid(origin, fmt::format("encryption '{}' is not plain, key_file or passphrase", encryption));
    config.encryption = *policy;
    if (const auto it = j.find("source_db"); it != j.end() && it->is_string()) config.source_db = it->get<std::string>();
    const auto created = parse_iso8601(text_field(j, "created_at", origin));
    if (!created) invalid(origin, "created_at is not an ISO-8601 time");
    config.created_at = *created;
    config.tool_version = text_field(j, "tool_version", origin);
    config.origin = text_field(j, "origin", origin) == "adopted" ? ConfigOrigin::adopted : ConfigOrigin::init;
    return config;
}

std::optional<RepositoryConfig> read_repository_config(const storage::Storage& store) {
    if (!store.stat(repository_config_key)) return std::nullopt;
    return parse_repository_config(store.read_all(repository_config_key), store.location(repository_config_key));
}

void write_repository_config(storage::Storage& store, const RepositoryConfig& config) {
    store.write_all(repository_config_key, config.to_json().dump(2) + "\n", storage::Overwrite::never);
}

}  // namespace soniabk
