#include "config_keys.hpp"

#include "cli_tree.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace fs = std::filesystem;

namespace {

std::string table_name(const std::vector<std::string>& table) { return "[" + CLI::detail::join(table, ".") + "]"; }

std::string expected_text(ValueKind kind) {
    switch (kind) {
        case ValueKind::flag:
        case ValueKind::boolean: return "true or false";
        case ValueKind::integer: return "an integer";
        case ValueKind::unsigned_integer: return "a whole number (0 or more)";
        case ValueKind::number: return "a number";
        case ValueKind::duration: return "a duration string such as \"24h\"";
        case ValueKind::text:
        case ValueKind::path: return "a string";
        case ValueKind::scalar: return "a string or a number";
    }
    return "a value";
}

bool type_fits(ValueKind kind, ConfigValueType type, const std::string& text) {
    switch (kind) {
        case ValueKind::flag: return type == ConfigValueType::boolean || type == ConfigValueType::integer;
        case ValueKind::boolean: return type == ConfigValueType::boolean;
        case ValueKind::integer: return type == ConfigValueType::integer;
        case ValueKind::unsigned_integer: return type == ConfigValueType::integer && !text.starts_with('-');
        case ValueKind::number: return type == ConfigValueType::integer || type == ConfigValueType::floating;
        case ValueKind::duration:
        case ValueKind::text:
        case ValueKind::path: return type == ConfigValueType::string;
        case ValueKind::scalar:
            return type == ConfigValueType::string || type == ConfigValueType::integer || type == ConfigValueType::floating;
    }
    return false;
}

}  // namespace

CLI::App& resolve_table(CLI::App& root, const std::vector<std::string>& table, const fs::path& file, int line) {
    CLI::App* at = &root;
    for (const std::string& name : table) {
        CLI::App* next = nullptr;
        std::vector<std::string> names;
        for (CLI::App* sub : subcommands_of(*at)) {
            if (sub->check_name(name)) next = sub;
            names.push_back(sub->get_name());
        }
        if (next == nullptr) {
            std::vector<std::string> prefix(table.begin(), table.begin() + static_cast<long>(lineage(*at).size() - 1));
            std::string message = fmt::format("unknown table {}: 'soniabk {}' is not a command", table_name(table),
                                              CLI::detail::join(table, " "));
            if (const std::string near = nearest(name, names); !near.empty()) {
                prefix.push_back(near);
                message += fmt::format("; did you mean {}?", table_name(prefix));
            }
            throw config_error(file, line, message);
        }
        at = next;
    }
    return *at;
}

void check_value(const ConfigEntry& entry, CLI::Option& option, const fs::path& file) {
    const auto fail = [&](const std::string& message) { throw config_error(file, entry.line, message); };
    if (!option.get_configurable()) {
        fail(fmt::format("'{}' can only be given on the command line (--{})", entry.key, key_of(option)));
    }
    const bool array = entry.type == ConfigValueType::array;
    if (array && option.get_items_expected_max() <= 1) fail(fmt::format("'{}' takes one value, not an array", entry.key));
    const ValueKind kind = value_kind(option);
    const ConfigValueType type = array ? entry.element_type : entry.type;
    for (const std::string& text : entry.values) {
        if (!type_fits(kind, type, text)) {
            fail(fmt::format("'{}' must be {}, not {}", entry.key, expected_text(kind), to_string(type)));
        }
        for (const CLI::Validator* validator : validators_of(option)) {
            std::string value = text;
            if (!validator->get_active()) continue;
            if (const std::string problem = (*validator)(value); !problem.empty()) {
                fail(fmt::format("'{}': {}", entry.key, problem));
            }
        }
    }
}

std::vector<ConfigTarget> targets_of(CLI::App& root, CLI::App& command, const ConfigEntry& entry, const fs::path& file) {
    std::vector<ConfigTarget> targets;
    std::vector<std::string> known;
    const auto collect = [&](CLI::App& app) {
        if (CLI::Option* o = find_named_option(app, entry.key)) targets.push_back({&app, o});
        for (CLI::Option* o : named_options(app)) known.push_back(key_of(*o));
    };
    // A key at the top applies to every command with that option; in a table, to that command only.
    if (entry.table.empty()) for_each_command(root, collect);
    else collect(command);
    if (!targets.empty()) return targets;
    std::string message = entry.table.empty()
                              ? fmt::format("unknown key '{}': no soniabk command has --{}", entry.key, entry.key)
                              : fmt::format("unknown key '{}' in {}: 'soniabk {}' has no --{}", entry.key,
                                            table_name(entry.table), command_path(command), entry.key);
    if (const std::string near = nearest(entry.key, known); !near.empty()) message += fmt::format("; did you mean '{}'?", near);
    if (!entry.table.empty() && find_named_option(root, entry.key) != nullptr) {
        message += fmt::format(" (--{} is a global option: put it at the top of the file)", entry.key);
    }
    throw config_error(file, entry.line, message);
}

}  // namespace soniabk::cli
