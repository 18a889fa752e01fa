#include "usage_hint.hpp"

#include "cli_tree.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

std::string program(const CLI::App& at) {
    const std::string path = command_path(at);
    return path.empty() ? "soniabk" : "soniabk " + path;
}

// Options are accepted on the command that owns them and below it (CLI11 fallthrough).
const CLI::Option* find_long_option(const CLI::App& at, const std::string& name) {
    for (const CLI::App* app : lineage(at)) {
        if (const CLI::Option* o = app->get_option_no_throw("--" + name)) return o;
    }
    return nullptr;
}

std::string unknown_option(const CLI::App& at, const std::string& name) {
    std::vector<std::string> known;
    for (const CLI::App* app : lineage(at)) {
        for (const CLI::Option* o : named_options(*app)) {
            for (const auto& l : o->get_lnames()) known.push_back(l);
        }
    }
    std::string message = fmt::format("unknown option '--{}' for '{}'", name, program(at));
    if (const std::string near = nearest(name, known); !near.empty()) message += fmt::format("; did you mean '--{}'?", near);
    return message + fmt::format(" (see '{} --help')", program(at));
}

std::string unknown_command(const CLI::App& at, const std::string& word) {
    std::vector<std::string> names;
    for (const CLI::App* sub : subcommands_of(at)) names.push_back(sub->get_name());
    std::string message = fmt::format("'{}' is not a {} command", word, program(at));
    if (const std::string near = nearest(word, names); !near.empty()) message += fmt::format("; did you mean '{}'?", near);
    return message + fmt::format(" (see '{} --help')", program(at));
}

bool has_positionals(const CLI::App& app) {
    return !app.get_options([](const CLI::Option* o) { return is_positional(*o); }).empty();
}

}  // namespace

std::optional<std::string> usage_hint(const CLI::App& root, const CLI::ParseError& error, int argc, char** argv) {
    const CLI::App* at = &root;
    // Replay the command line: descend into each named command, stop at the first word that fits nowhere.
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") break;
        if (arg.starts_with("--")) {
            const std::string name = arg.substr(2, arg.find('=') - 2);
            const CLI::Option* option = find_long_option(*at, name);
            if (option == nullptr) return unknown_option(*at, name);
            if (takes_value(*option) && arg.find('=') == std::string::npos) ++i;
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-') {
            const CLI::Option* option = nullptr;
            for (const CLI::App* app : lineage(*at)) {
                if (option == nullptr) option = app->get_option_no_throw(arg.substr(0, 2));
            }
            if (option != nullptr && takes_value(*option) && arg.size() == 2) ++i;
            continue;
        }
        const auto subs = subcommands_of(*at);
        const auto match = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->check_name(arg); });
        if (match != subs.end()) {
            at = *match;
        } else if (!has_positionals(*at) && !subs.empty()) {
            return unknown_command(*at, arg);
        }
    }
    if (error.get_name() == "RequiredError" && at->get_require_subcommand_min() > 0 && at->get_subcommands().empty()) {
        std::vector<std::string> names;
        for (const CLI::App* sub : subcommands_of(*at)) names.push_back(sub->get_name());
        return fmt::format("'{}' needs a command: {} (see '{} --help')", program(*at), CLI::detail::join(names, ", "),
                           program(*at));
    }
    return std::nullopt;
}

}  // namespace soniabk::cli
