#include "usage_hint.hpp"

#include "cli_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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

std::string quoted_words(const std::string& words) {
    std::string out;
    for (const std::string& word : CLI::detail::split(words, ' ')) {
        if (!word.empty()) out += (out.empty() ? "'" : ", '") + word + "'";
    }
    return out;
}

// "X: rest" -> {X, rest}; CLI11 names the option first in most of its messages.
std::pair<std::string, std::string> named(const std::string& text) {
    const auto colon = text.find(": ");
    if (colon == std::string::npos) return {"", text};
    return {text.substr(0, colon), text.substr(colon + 2)};
}

std::string after(const std::string& text, std::string_view prefix) { return text.substr(prefix.size()); }

// By type, not get_name(): CLI11 names some errors after the command that raised them.
template <typename T>
bool is(const CLI::ParseError& error) {
    return dynamic_cast<const T*>(&error) != nullptr;
}

// CLI11's own wording, said the way soniabk's other messages are: lower case, what was wrong, what to do.
std::string reworded(const CLI::ParseError& error, const std::string& program) {
    const std::string text = error.what();
    const std::string help = fmt::format(" (see '{} --help')", program);
    if (is<CLI::ExtrasError>(error)) {
        const std::string args = text.substr(text.find(": ") + 2);
        const bool several = args.find(' ') != std::string::npos;
        return fmt::format("unexpected argument{} {} for '{}'{}", several ? "s" : "", quoted_words(args), program, help);
    }
    if (is<CLI::RequiredError>(error) && text.ends_with(" is required")) {
        return fmt::format("'{}' needs {}{}", program, text.substr(0, text.size() - std::string_view(" is required").size()), help);
    }
    if (is<CLI::ExcludesError>(error)) {
        const auto at = text.find(" excludes ");
        return fmt::format("give {} or {}, not both{}", text.substr(0, at), after(text.substr(at), " excludes "), help);
    }
    if (is<CLI::RequiresError>(error)) {
        const auto at = text.find(" requires ");
        return fmt::format("{} needs {} as well{}", text.substr(0, at), after(text.substr(at), " requires "), help);
    }
    if (is<CLI::ArgumentMismatch>(error)) {
        const auto [option, rest] = named(text);
        if (!option.empty() && rest.find(" missing") != std::string::npos) return fmt::format("{} needs a value{}", option, help);
        return fmt::format("{}: wrong number of values{}", option.empty() ? program : option, help);
    }
    if (is<CLI::ConversionError>(error)) {
        if (text.starts_with("The value ")) {
            const auto at = text.find(" is not an allowed value for ");
            return fmt::format("{}: '{}' is not an allowed value{}", after(text.substr(at), " is not an allowed value for "),
                               text.substr(10, at - 10), help);
        }
        if (text.starts_with("Could not convert: ")) {
            const std::string rest = after(text, "Could not convert: ");
            const auto eq = rest.find(" = ");
            if (eq != std::string::npos) {
                return fmt::format("{}: '{}' is not a value it takes{}", rest.substr(0, eq), rest.substr(eq + 3), help);
            }
        }
    }
    if (is<CLI::ValidationError>(error)) {
        const auto [option, rest] = named(text);
        const auto not_in = rest.find(" not in {");
        if (not_in != std::string::npos && rest.ends_with("}")) {
            std::string choices = rest.substr(not_in + 9, rest.size() - not_in - 10);
            std::replace(choices.begin(), choices.end(), ',', ' ');
            return fmt::format("{}: '{}' is not one of {}{}", option, rest.substr(0, not_in), quoted_words(choices), help);
        }
        return fmt::format("{}: {}", option.empty() ? program : option, rest);
    }
    std::string lower = text;
    if (!lower.empty()) lower[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[0])));
    return lower + help;
}

bool has_positionals(const CLI::App& app) {
    return !app.get_options([](const CLI::Option* o) { return is_positional(*o); }).empty();
}

}  // namespace

std::string usage_message(const CLI::App& root, const CLI::ParseError& error, int argc, char** argv) {
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
    return reworded(error, program(*at));
}

}  // namespace soniabk::cli
