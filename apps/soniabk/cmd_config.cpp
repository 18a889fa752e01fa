// soniabk config show|init: the effective configuration and where each value came from; a starter file.
#include "io/atomic_file.hpp"
#include "cli_tree.hpp"
#include "commands.hpp"
#include "config_template.hpp"
#include "output.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

bool is_secret(const std::string& key) {
    for (const char* word : {"passphrase", "password", "secret", "token"}) {
        if (key.find(word) != std::string::npos) return true;
    }
    return false;
}

Json flag_value(const CLI::Option& option) {
    const auto& results = option.results();
    if (results.empty()) return false;
    if (results.size() > 1) return option.count();
    const std::string& r = results.front();
    if (r == "true" || r == "1") return true;
    if (r == "false" || r == "0") return false;
    return r;
}

Json effective_value(const CLI::Option& option) {
    if (!takes_value(option)) return flag_value(option);
    const auto& results = option.results();
    if (results.empty()) return option.get_default_str().empty() ? Json(nullptr) : Json(option.get_default_str());
    if (option.get_items_expected_max() > 1) return results;
    return results.back();
}

Json setting(const ConfigSupport& config, const CLI::App& command, const CLI::Option& option) {
    const ValueSource source = config.source_of(command, option);
    Json value = effective_value(option);
    if (is_secret(key_of(option)) && !value.is_null()) value = "(hidden)";
    Json row = {{"command", command_path(command)}, {"key", key_of(option)}, {"value", value}, {"source", source.kind}};
    if (source.kind == "env") row["env"] = source.env;
    if (source.kind == "file") {
        row["file"] = source.file.string();
        row["line"] = source.line;
    }
    return row;
}

// Secrets arrive as "(set)" from resolve_s3_config: their values never reach a document.
Json s3_settings_json(const ConfigSupport& config) {
    Json rows = Json::array();
    for (const S3SettingSource& s : config.s3().sources) {
        Json row = {{"key", s.key}, {"value", s.value ? Json(*s.value) : Json(nullptr)}, {"source", s.kind}};
        if (s.kind == "env") row["env"] = s.env;
        if (s.kind == "file") {
            row["file"] = config.loaded_file()->string();
            row["line"] = s.line;
        }
        rows.push_back(row);
    }
    return rows;
}

Json show_config(CLI::App& root, const ConfigSupport& config) {
    Json settings = Json::array();
    for_each_command(root, [&](CLI::App& app) {
        for (const CLI::Option* o : named_options(app)) {
            if (o->get_configurable()) settings.push_back(setting(config, app, *o));
        }
    });
    Json file = nullptr;
    if (const auto loaded = config.loaded_file()) file = {{"path", loaded->string()}, {"origin", config.origin()}};
    return {{"ok", true}, {"config_file", file}, {"settings", settings}, {"s3", s3_settings_json(config)}};
}

std::string value_text(const Json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>().empty() ? "\"\"" : value.get<std::string>();
    return value.dump();
}

void print_show(const Json& doc) {
    if (doc["config_file"].is_null()) {
        fmt::print("config file  none (looked for --config, $SONIABK_CONFIG, ./soniabk.toml, {})\n\n",
                   system_config_path().string());
    } else {
        fmt::print("config file  {} ({})\n\n", doc["config_file"]["path"].get<std::string>(),
                   doc["config_file"]["origin"].get<std::string>());
    }
    std::vector<std::vector<std::string>> rows = {{"COMMAND", "KEY", "VALUE", "SOURCE"}};
    const auto add_row = [&rows](const std::string& command, const Json& s) {
        const std::string source = s["source"] == "env"    ? "env " + s["env"].get<std::string>()
                                   : s["source"] == "file" ? fmt::format("{}:{}", s["file"].get<std::string>(), s["line"].get<int>())
                                                           : s["source"].get<std::string>();
        rows.push_back({command, s["key"].get<std::string>(), value_text(s["value"]),
                        s["source"] == "default" ? paint(source, Colour::dim) : source});
    };
    for (const Json& s : doc["settings"]) {
        const std::string command = s["command"].get<std::string>();
        add_row(command.empty() ? "(global)" : command, s);
    }
    for (const Json& s : doc["s3"]) add_row("[s3]", s);
    print_table(rows);
}

}  // namespace

void register_config(CLI::App& app, CommandTable& table, ConfigSupport& config) {
    CLI::App* group = app.add_subcommand("config", "Show the effective configuration, or write a starter file");
    group->require_subcommand(1);

    CLI::App* show = group->add_subcommand("show", "Print every setting, its value and where it came from");
    table.add(show, [&app, &config](const GlobalOptions&) {
        const Json doc = show_config(app, config);
        return Outcome{doc, [doc] { print_show(doc); }};
    });

    auto target = std::make_shared<std::string>("soniabk.toml");
    CLI::App* init = group->add_subcommand("init", "Write a commented example config file (never overwrites)");
    init->add_option("FILE", *target, "Where to write it")->capture_default_str()->type_name("FILE");
    config.skip_for(init);
    table.add(init, [&app, target](const GlobalOptions&) {
        const std::string text = config_template(app);
        create_file_atomically(*target, text);
        const Json doc = {{"ok", true}, {"path", *target}, {"bytes", text.size()}};
        return Outcome{doc, [path = *target] {
                           fmt::print("wrote {}: every option, commented out with its default\n", path);
                           fmt::print("edit it, then check it with: soniabk --config {} config show\n", path);
                       }};
    });
}

}  // namespace soniabk::cli
