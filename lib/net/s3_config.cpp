#include "net/s3_config.hpp"

#include "base/environment.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

// One [s3] key: the variables that override it (the first set one wins), how its text lands, and the
// default `config show` prints (empty: none).
struct S3Key {
    std::string name;
    std::vector<std::string> variables;
    ConfigValueType type;
    void (*assign)(S3Settings&, const std::string&);
    std::string default_text;
};

void assign_duration(Duration& target, const std::string& text, const std::string& key) {
    const auto parsed = parse_duration(text);
    if (!parsed || *parsed <= Duration::zero()) throw usage_error(fmt::format("'{}' must be a duration such as \"30s\"", key));
    target = *parsed;
}

const std::vector<S3Key>& keys() {
    static const S3Settings defaults;
    static const std::vector<S3Key> table = {
        {"endpoint", {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.endpoint = v; }},
        {"region", {"AWS_REGION", "AWS_DEFAULT_REGION"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.region = v; }, defaults.region},
        {"path_style", {}, ConfigValueType::boolean, [](S3Settings& s, const std::string& v) { s.path_style = v == "true"; }},
        {"access_key_id", {"AWS_ACCESS_KEY_ID"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.access_key_id = v; }},
        {"secret_access_key", {"AWS_SECRET_ACCESS_KEY"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.secret_key = v; }},
        {"session_token", {"AWS_SESSION_TOKEN"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.session_token = v; }},
        {"ca_bundle", {"AWS_CA_BUNDLE"}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { s.ca_bundle = v; }},
        {"timeout", {}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { assign_duration(s.timeout, v, "timeout"); },
         format_duration(defaults.timeout)},
        {"retry_budget", {}, ConfigValueType::string,
         [](S3Settings& s, const std::string& v) { assign_duration(s.retry_budget, v, "retry_budget"); },
         format_duration(defaults.retry_budget)},
    };
    return table;
}

bool in_s3_table(const ConfigEntry& entry) { return entry.table.size() == 1 && entry.table.front() == "s3"; }

std::string shown(const S3Key& key, const std::string& value) {
    if (is_s3_secret(key.name)) return "(set)";
    return value;
}

}  // namespace

const std::vector<std::string>& s3_config_keys() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const S3Key& key : keys()) out.push_back(key.name);
        return out;
    }();
    return names;
}

bool is_s3_secret(std::string_view key) { return key == "secret_access_key" || key == "session_token"; }

S3Config resolve_s3_config(const std::vector<ConfigEntry>& entries, const fs::path& file) {
    S3Config config;
    for (const S3Key& key : keys()) {
        S3SettingSource source{key.name, std::nullopt, "default", {}, 0};
        if (!key.default_text.empty()) source.value = key.default_text;
        const auto entry = std::find_if(entries.begin(), entries.end(),
                                        [&](const ConfigEntry& e) { return in_s3_table(e) && e.key == key.name; });
        // "" means not set, as everywhere in the file.
        if (entry != entries.end() && !entry->values.empty() && !entry->values.front().empty()) {
            if (entry->type != key.type) {
                throw config_error(file, entry->line, fmt::format("'{}' in [s3] must be {}, not {}", key.name,
                                                                  to_string(key.type), to_string(entry->type)));
            }
            try {
                key.assign(config.settings, entry->values.front());
            } catch (const Error& e) {
                throw config_error(file, entry->line, fmt::format("{} in [s3]", e.what()));
            }
            source = {key.name, shown(key, entry->values.front()), "file", {}, entry->line};
        }
        for (const std::string& variable : key.variables) {
            if (const std::string value = environment(variable); !value.empty()) {
                key.assign(config.settings, value);
                source = {key.name, shown(key, value), "env", variable, 0};
                break;
            }
        }
        config.sources.push_back(std::move(source));
    }
    return config;
}

S3Settings s3_settings_from_environment() { return resolve_s3_config({}, {}).settings; }

}  // namespace soniabk
