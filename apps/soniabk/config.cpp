#include "config.hpp"

#include "cli_tree.hpp"
#include "config_keys.hpp"
#include "base/environment.hpp"
#include "net/s3_config.hpp"

#include <fmt/format.h>

#include <map>

namespace soniabk::cli {

namespace fs = std::filesystem;

struct ConfigSupport::State {
    CLI::App* root = nullptr;
    std::optional<ConfigLocation> location;  // when --config is not given
    std::set<const CLI::App*> config_free;
    std::vector<std::string> argv;
    std::optional<fs::path> loaded;
    std::string origin;
    std::map<const CLI::Option*, std::pair<fs::path, int>> from_file;  // options the file set, with lines
    std::optional<S3Config> s3;  // the file's [s3] table under the environment, once the file is read
};

namespace {

// Help, --version and config-free commands run without reading the file, so a broken one never blocks them.
bool skips_config(const ConfigSupport::State& state) {
    const CLI::App& chosen = chosen_command(*state.root);
    if (state.config_free.count(&chosen) != 0) return true;
    if (state.root->get_help_all_ptr() != nullptr && state.root->get_help_all_ptr()->count() > 0) return true;
    for (const CLI::App* app : lineage(chosen)) {
        if (app->get_help_ptr() != nullptr && app->get_help_ptr()->count() > 0) return true;
    }
    const CLI::Option* version = find_named_option(*state.root, "version");
    return version != nullptr && version->count() > 0;
}

// [s3] says how buckets are reached, not what a command does: it is no command's table.
bool is_s3_entry(const ConfigEntry& entry) {
    if (entry.table.empty()) return entry.key == "s3" && entry.type == ConfigValueType::table;
    return entry.table.front() == "s3";
}

void check_s3_key(const ConfigEntry& entry, const fs::path& file) {
    if (entry.table.empty()) return;  // the [s3] table itself
    const auto& known = s3_config_keys();
    if (entry.table.size() == 1 && entry.type != ConfigValueType::table &&
        std::find(known.begin(), known.end(), entry.key) != known.end()) {
        return;
    }
    std::string message = fmt::format("unknown key '{}' in [s3]: the keys are {}", entry.key, CLI::detail::join(known, ", "));
    if (const std::string near = nearest(entry.key, known); !near.empty()) message += fmt::format("; did you mean '{}'?", near);
    throw config_error(file, entry.line, message);
}

class TomlReader final : public CLI::Config {
public:
    explicit TomlReader(std::shared_ptr<ConfigSupport::State> state) : state_(std::move(state)) {}

    std::string to_config(const CLI::App*, bool, bool, std::string) const override { return {}; }

    std::vector<CLI::ConfigItem> from_config(std::istream& in) const override {
        ConfigSupport::State& state = *state_;
        if (skips_config(state)) return {};
        const CLI::Option* config = state.root->get_config_ptr();
        const bool given = config->count() > 0;
        const fs::path file = given ? fs::path(config->as<std::string>()) : state.location->path;
        state.loaded = file;
        state.origin = given ? "--config" : state.location->origin;
        // 1. Check every key against the command tree; the more specific (table) placement wins.
        std::map<CLI::Option*, std::pair<const ConfigEntry*, CLI::App*>> chosen;
        const ConfigFile parsed = parse_config(in, file);
        std::vector<ConfigEntry> s3_entries;
        for (const ConfigEntry& entry : parsed.entries) {
            if (is_s3_entry(entry)) {
                check_s3_key(entry, file);
                s3_entries.push_back(entry);
                continue;
            }
            const bool is_table = entry.type == ConfigValueType::table;
            std::vector<std::string> table = entry.table;
            if (is_table) table.push_back(entry.key);
            CLI::App& command = resolve_table(*state.root, table, file, entry.line);
            if (is_table) continue;
            for (const ConfigTarget& t : targets_of(*state.root, command, entry, file)) {
                check_value(entry, *t.option, file);
                auto& slot = chosen[t.option];
                if (slot.first == nullptr || !entry.table.empty()) slot = {&entry, t.command};
            }
        }
        state.s3 = resolve_s3_config(s3_entries, file);
        // 2. Hand CLI11 only what neither a flag nor an environment variable already set (flag > env > file).
        std::vector<CLI::ConfigItem> result;
        for (const auto& [option, placement] : chosen) {
            if (!option->empty() || !environment(option->get_envname()).empty()) continue;
            state.from_file[option] = {file, placement.first->line};
            // false, "" and [] mean "not set": handing them over would trip "--from excludes --gateway".
            const auto& values = placement.first->values;
            const bool unset = values.empty() || (values.size() == 1 && values[0].empty()) ||
                               (!takes_value(*option) && values.size() == 1 && (values[0] == "false" || values[0] == "0"));
            if (unset) continue;
            std::vector<std::string> parents;
            for (const CLI::App* app : lineage(*placement.second)) {
                if (app->get_parent() != nullptr) parents.push_back(app->get_name());
            }
            result.push_back({parents, key_of(*option), values});
        }
        return result;
    }

private:
    std::shared_ptr<ConfigSupport::State> state_;
};

bool on_command_line(const std::vector<std::string>& argv, const CLI::Option& option) {
    for (const std::string& arg : argv) {
        if (arg == "--") return false;
        if (arg.starts_with("--")) {
            const std::string name = arg.substr(2, arg.find('=') - 2);
            for (const auto& l : option.get_lnames()) if (l == name) return true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            for (const auto& s : option.get_snames()) if (arg.find(s, 1) != std::string::npos) return true;
        }
    }
    return false;
}

}  // namespace

std::string ValueSource::text() const {
    if (kind == "env") return "env " + env;
    if (kind == "file") return fmt::format("{}:{}", file.string(), line);
    return kind;
}

bool is_command_line_only(const CLI::Option& option) {
    static const std::set<std::string> actions = {"force", "dry-run", "install", "json", "version", "config"};
    return actions.count(key_of(option)) != 0;
}

ConfigSupport::ConfigSupport() : state_(std::make_shared<State>()) {}

void ConfigSupport::install(CLI::App& root, int argc, char** argv) {
    state_->root = &root;
    state_->argv.assign(argv + 1, argv + argc);
    state_->location = default_config_location();
    root.set_config("--config", state_->location ? state_->location->path.string() : std::string(),
                    fmt::format("TOML config file (else $SONIABK_CONFIG, ./soniabk.toml, {})",
                                system_config_path().string()))
        ->type_name("FILE");
    root.config_formatter(std::make_shared<TomlReader>(state_));
    // Actions are never taken because a file said so.
    for_each_command(root, [](CLI::App& app) {
        for (CLI::Option* o : named_options(app)) if (is_command_line_only(*o)) o->configurable(false);
    });
}

void ConfigSupport::skip_for(const CLI::App* command) { state_->config_free.insert(command); }

void ConfigSupport::check_after_parse() const {
    const auto& location = state_->location;
    if (skips_config(*state_) || state_->root->get_config_ptr()->count() > 0 || !location || !location->required) return;
    std::error_code ec;
    if (!fs::is_regular_file(location->path, ec)) {
        throw Error(ErrorCategory::usage, ErrorCode::config,
                    fmt::format("{}: config file named by SONIABK_CONFIG does not exist", location->path.string()),
                    location->path);
    }
}

std::optional<fs::path> ConfigSupport::loaded_file() const { return state_->loaded; }

std::string ConfigSupport::origin() const { return state_->origin; }

S3Config ConfigSupport::s3() const { return state_->s3 ? *state_->s3 : resolve_s3_config({}, {}); }

ValueSource ConfigSupport::source_of(const CLI::App& command, const CLI::Option& option) const {
    if (const auto it = state_->from_file.find(&option); it != state_->from_file.end()) {
        return {"file", {}, it->second.first, it->second.second};
    }
    if (option.count() == 0) return {"default", {}, {}, 0};
    const auto chosen_path = lineage(chosen_command(*state_->root));
    const bool on_chosen_path = std::find(chosen_path.begin(), chosen_path.end(), &command) != chosen_path.end();
    if (on_chosen_path && on_command_line(state_->argv, option)) return {"flag", {}, {}, 0};
    if (!environment(option.get_envname()).empty()) return {"env", option.get_envname(), {}, 0};
    return {"flag", {}, {}, 0};
}

}  // namespace soniabk::cli
