#include "base/config_file.hpp"

#include "base/environment.hpp"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

int line_of(const toml::source_region& region) { return static_cast<int>(region.begin.line); }

ConfigValueType type_of(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return ConfigValueType::string;
        case toml::node_type::integer: return ConfigValueType::integer;
        case toml::node_type::floating_point: return ConfigValueType::floating;
        case toml::node_type::boolean: return ConfigValueType::boolean;
        case toml::node_type::array: return ConfigValueType::array;
        case toml::node_type::table: return ConfigValueType::table;
        default: break;
    }
    throw config_error(node.source().path ? fs::path(*node.source().path) : fs::path(), line_of(node.source()),
                       "dates and times are not soniabk option values; write durations as strings such as \"24h\"");
}

std::string scalar_text(const toml::node& node) {
    if (const auto* s = node.as_string()) return s->get();
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* f = node.as_floating_point()) return fmt::format("{}", f->get());
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
    return {};
}

class Flattener {
public:
    explicit Flattener(fs::path path) : path_(std::move(path)) {}

    void table(const toml::table& table, const std::vector<std::string>& at) {
        for (auto&& [key, node] : table) add(std::string(key.str()), line_of(key.source()), node, at);
    }

    std::vector<ConfigEntry> take() {
        std::stable_sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
        return std::move(entries_);
    }

private:
    void add(std::string key, int line, const toml::node& node, const std::vector<std::string>& at) {
        ConfigEntry entry{at, key, type_of(node), ConfigValueType::string, {}, line};
        if (entry.type == ConfigValueType::table) {
            entries_.push_back(entry);
            std::vector<std::string> inner = at;
            inner.push_back(key);
            table(*node.as_table(), inner);
            return;
        }
        if (const auto* array = node.as_array()) {
            for (const toml::node& element : *array) {
                const ConfigValueType element_type = type_of(element);
                if (element_type == ConfigValueType::array || element_type == ConfigValueType::table) {
                    throw config_error(path_, line, fmt::format("key '{}': arrays hold plain values here", key));
                }
                if (!entry.values.empty() && element_type != entry.element_type) {
                    throw config_error(path_, line, fmt::format("key '{}': array mixes value types", key));
                }
                entry.element_type = element_type;
                entry.values.push_back(scalar_text(element));
            }
        } else {
            entry.values.push_back(scalar_text(node));
        }
        entries_.push_back(std::move(entry));
    }

    fs::path path_;
    std::vector<ConfigEntry> entries_;
};

}  // namespace

std::string_view to_string(ConfigValueType type) {
    switch (type) {
        case ConfigValueType::string: return "a string";
        case ConfigValueType::integer: return "an integer";
        case ConfigValueType::floating: return "a number";
        case ConfigValueType::boolean: return "true or false";
        case ConfigValueType::array: return "an array";
        case ConfigValueType::table: return "a table";
    }
    return "a value";
}

Error config_error(const fs::path& file, int line, const std::string& message) {
    return Error(ErrorCategory::usage, ErrorCode::config, fmt::format("{}:{}: {}", file.string(), line, message), file);
}

ConfigFile parse_config(std::istream& in, const fs::path& path) {
    toml::table root;
    try {
        root = toml::parse(in, std::string_view(path.string()));
    } catch (const toml::parse_error& e) {
        throw config_error(path, line_of(e.source()), fmt::format("not valid TOML: {}", e.description()));
    }
    Flattener flattener(path);
    flattener.table(root, {});
    return {path, flattener.take()};
}

fs::path system_config_path() {
#ifdef _WIN32
    const std::string program_data = environment("ProgramData");
    return fs::path(program_data.empty() ? "C:\\ProgramData" : program_data) / "soniabk" / "soniabk.toml";
#else
    return "/etc/soniabk/soniabk.toml";
#endif
}

std::optional<ConfigLocation> default_config_location() {
    if (const std::string named = environment("SONIABK_CONFIG"); !named.empty()) {
        return ConfigLocation{named, "SONIABK_CONFIG", true};
    }
    std::error_code ec;
    if (fs::is_regular_file("soniabk.toml", ec)) return ConfigLocation{"soniabk.toml", "working directory", false};
    if (fs::is_regular_file(system_config_path(), ec)) return ConfigLocation{system_config_path(), "system", false};
    return std::nullopt;
}

}  // namespace soniabk
