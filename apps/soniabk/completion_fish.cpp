#include "completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace soniabk::cli {

namespace {

std::string fish_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += (c == '\'' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + "'";
}

std::string fish_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : " ") + fish_quoted(i);
    return out;
}

std::string fish_lookup(const std::string& name, const std::vector<CompletionCommand>& model,
                   std::vector<std::string> (CompletionCommand::*list)() const) {
    std::string out = fmt::format("function {}\n    switch \"$argv[1]\"\n", name);
    for (const auto& c : model) {
        if (const auto items = (c.*list)(); !items.empty()) {
            out += fmt::format("        case {}\n            printf '%s\\n' {}\n", fish_quoted(c.path), fish_list(items));
        }
    }
    return out + "    end\nend\n\n";
}

constexpr const char* helpers = R"SH(# The command being completed ("" for soniabk itself, "backup db"), from the words before the cursor.
function __soniabk_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $t
            if not string match -q -- '*=*' $t; and contains -- $t (__soniabk_value_options "$path")
                set skip 1
            end
        else if contains -- $t (__soniabk_subcommands "$path")
            set path (string trim -- "$path $t")
        end
    end
    echo $path
end

# True when completing exactly this command.
function __soniabk_at
    test (__soniabk_path) = "$argv[1]"
end

# True when completing this command or one below it (its options are accepted there too).
function __soniabk_in
    set -l path (__soniabk_path)
    test "$argv[1]" = '' -o "$path" = "$argv[1]"; or string match -q -- "$argv[1] *" $path
end

)SH";

std::string option_line(const std::string& path, const CompletionOption& o) {
    std::string line = "complete -c soniabk";
    if (!path.empty()) line += " -n " + fish_quoted("__soniabk_in " + fish_quoted(path));
    for (const auto& name : o.names) {
        line += name.starts_with("--") ? " -l " + fish_quoted(name.substr(2)) : " -s " + fish_quoted(name.substr(1));
    }
    if (!o.choices.empty()) line += " -x -a " + fish_quoted(CLI::detail::join(o.choices, " "));
    else if (o.files) line += " -r -F";
    else if (o.takes_value) line += " -x";
    return line + " -d " + fish_quoted(o.description) + "\n";
}

}  // namespace

std::string fish_completion(const std::vector<CompletionCommand>& model) {
    std::string out = completion_banner("#", "fish") +
                      "# Install it as soniabk.fish in ~/.config/fish/completions or vendor_completions.d.\n\n" +
                      fish_lookup("__soniabk_subcommands", model, &CompletionCommand::subcommand_names) +
                      fish_lookup("__soniabk_value_options", model, &CompletionCommand::value_option_names) + helpers +
                      "complete -c soniabk -f\n";
    for (const auto& c : model) {
        for (const auto& [name, description] : c.subcommands) {
            out += fmt::format("complete -c soniabk -n {} -a {} -d {}\n", fish_quoted("__soniabk_at " + fish_quoted(c.path)),
                               fish_quoted(name), fish_quoted(description));
        }
        if (!c.positional_choices.empty()) {
            out += fmt::format("complete -c soniabk -n {} -a {}\n", fish_quoted("__soniabk_at " + fish_quoted(c.path)),
                               fish_quoted(CLI::detail::join(c.positional_choices, " ")));
        }
        if (c.positional_files) out += fmt::format("complete -c soniabk -n {} -F\n", fish_quoted("__soniabk_at " + fish_quoted(c.path)));
    }
    // Each command's own options once, offered there and below (the model repeats parents' options).
    std::map<std::string, const CompletionCommand*> by_path;
    for (const auto& c : model) by_path[c.path] = &c;
    for (const auto& c : model) {
        const auto space = c.path.rfind(' ');
        const CompletionCommand* parent = c.path.empty() ? nullptr : by_path[space == std::string::npos ? "" : c.path.substr(0, space)];
        for (const auto& o : c.options) {
            const auto same = [&](const CompletionOption& p) { return p.names == o.names; };
            if (parent != nullptr && std::any_of(parent->options.begin(), parent->options.end(), same)) continue;
            out += option_line(c.path, o);
        }
    }
    return out;
}

}  // namespace soniabk::cli
