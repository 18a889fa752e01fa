#include "completion.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

std::string words(const std::vector<std::string>& list) { return CLI::detail::join(list, " "); }

// A shell function answering, per command path, with a word list: `case $1 in 'backup db') echo ...`.
std::string bash_lookup(const std::string& name, const std::string& what, const std::vector<CompletionCommand>& model,
                   std::vector<std::string> (CompletionCommand::*list)() const) {
    std::string out = fmt::format("# {}\n{}() {{\n    case $1 in\n", what, name);
    for (const auto& c : model) {
        const auto items = (c.*list)();
        if (!items.empty()) out += fmt::format("        '{}') echo '{}' ;;\n", c.path, words(items));
    }
    return out + "    esac\n}\n\n";
}

std::string bash_choices(const std::vector<CompletionCommand>& model) {
    std::string out = "# The values an option (or, with '', a positional argument) accepts.\n"
                      "_soniabk_choices() {\n    case \"$1|$2\" in\n";
    for (const auto& c : model) {
        for (const auto& o : c.options) {
            if (o.choices.empty()) continue;
            for (const auto& name : o.names) out += fmt::format("        '{}|{}') echo '{}' ;;\n", c.path, name, words(o.choices));
        }
        if (!c.positional_choices.empty()) out += fmt::format("        '{}|') echo '{}' ;;\n", c.path, words(c.positional_choices));
    }
    out += "    esac\n}\n\n_soniabk_positional_files() {\n    case $1 in\n";
    for (const auto& c : model) {
        if (c.positional_files) out += fmt::format("        '{}') return 0 ;;\n", c.path);
    }
    return out + "    esac\n    return 1\n}\n\n";
}

constexpr const char* bash_driver = R"SH(_soniabk_has() {
    local w
    for w in $1; do [[ $w == "$2" ]] && return 0; done
    return 1
}

_soniabk() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev='' path='' word option='' prefix='' i=1
    COMPREPLY=()
    # Which command is being completed: follow the words, skipping options and their values.
    while ((i < COMP_CWORD)); do
        word=${COMP_WORDS[i]}
        if [[ $word == -* ]]; then
            if _soniabk_has "$(_soniabk_value_options "$path")" "$word"; then
                i=$((i + 1))
                [[ ${COMP_WORDS[i]} == = ]] && i=$((i + 1))
            fi
        elif _soniabk_has "$(_soniabk_subcommands "$path")" "$word"; then
            path=${path:+$path }$word
        fi
        i=$((i + 1))
    done
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # An option's value: --opt VALUE, --opt=VALUE (split at '=' by bash or not).
    if [[ $cur == = ]]; then
        option=$prev cur=''
    elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then
        option=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        option=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
    elif [[ $prev == -* ]]; then
        option=$prev
    fi
    if [[ -n $option ]] && _soniabk_has "$(_soniabk_value_options "$path")" "$option"; then
        local values
        values=$(_soniabk_choices "$path" "$option")
        if [[ -n $values ]]; then
            COMPREPLY=($(compgen -P "$prefix" -W "$values" -- "$cur"))
        elif _soniabk_has "$(_soniabk_file_options "$path")" "$option"; then
            COMPREPLY=($(compgen -P "$prefix" -f -- "$cur"))
            compopt -o filenames 2>/dev/null
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_soniabk_options "$path")" -- "$cur"))
        return 0
    fi
    COMPREPLY=($(compgen -W "$(_soniabk_subcommands "$path") $(_soniabk_choices "$path" '')" -- "$cur"))
    if ((${#COMPREPLY[@]} == 0)) && _soniabk_positional_files "$path"; then
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
    return 0
}

complete -F _soniabk soniabk
)SH";

}  // namespace

std::string bash_completion(const std::vector<CompletionCommand>& model) {
    return completion_banner("#", "bash") + "# Load it with `source soniabk.bash`, or install it as\n"
           "# /usr/share/bash-completion/completions/soniabk.\n\n" +
           bash_lookup("_soniabk_subcommands", "The commands below a command.", model, &CompletionCommand::subcommand_names) +
           bash_lookup("_soniabk_options", "Every option a command accepts (its own and its parents').", model,
                  &CompletionCommand::option_names) +
           bash_lookup("_soniabk_value_options", "The options that take a value.", model,
                  &CompletionCommand::value_option_names) +
           bash_lookup("_soniabk_file_options", "The options whose value is a file or directory.", model,
                  &CompletionCommand::file_option_names) +
           bash_choices(model) + bash_driver;
}

}  // namespace soniabk::cli
