#include "completion.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

// Single-quoted for zsh, with ':' escaped in the name part of a name:description pair.
std::string zsh_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string described(const std::string& name, const std::string& description) {
    std::string escaped;
    for (char c : name) escaped += c == ':' ? std::string("\\:") : std::string(1, c);
    return zsh_quoted(escaped + ":" + description);
}

std::string zsh_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : " ") + zsh_quoted(i);
    return out;
}

std::string zsh_lookup(const std::string& name, const std::vector<CompletionCommand>& model,
                   const std::function<std::string(const CompletionCommand&)>& items) {
    std::string out = fmt::format("{}() {{\n    case $1 in\n", name);
    for (const auto& c : model) {
        if (const std::string list = items(c); !list.empty()) out += fmt::format("        {}) reply=({}) ;;\n", zsh_quoted(c.path), list);
    }
    return out + "        *) reply=() ;;\n    esac\n}\n\n";
}

std::string zsh_choices(const std::vector<CompletionCommand>& model) {
    std::string out = "_soniabk_choices() {\n    case \"$1|$2\" in\n";
    for (const auto& c : model) {
        for (const auto& o : c.options) {
            if (o.choices.empty()) continue;
            for (const auto& name : o.names) out += fmt::format("        {}) reply=({}) ;;\n", zsh_quoted(c.path + "|" + name), zsh_list(o.choices));
        }
        if (!c.positional_choices.empty()) out += fmt::format("        {}) reply=({}) ;;\n", zsh_quoted(c.path + "|"), zsh_list(c.positional_choices));
    }
    out += "        *) reply=() ;;\n    esac\n}\n\n_soniabk_positional_files() {\n    case $1 in\n";
    for (const auto& c : model) {
        if (c.positional_files) out += fmt::format("        {}) return 0 ;;\n", zsh_quoted(c.path));
    }
    return out + "    esac\n    return 1\n}\n\n";
}

constexpr const char* zsh_driver = R"SH(_soniabk() {
    local path='' word option='' cur prev
    local -i i=2
    local -a reply commands
    # Which command is being completed: follow the words, skipping options and their values.
    while (( i < CURRENT )); do
        word=${words[i]}
        if [[ $word == -* ]]; then
            _soniabk_value_options "$path"
            if [[ $word != *=* ]] && (( ${reply[(Ie)$word]} )); then i+=1; fi
        else
            _soniabk_subcommands "$path"
            if (( ${reply[(I)${(b)word}:*]} )); then path=${path:+$path }$word; fi
        fi
        i+=1
    done
    cur=${words[CURRENT]} prev=${words[CURRENT-1]}
    if [[ $cur == --*=* ]]; then
        option=${cur%%=*}
        compset -P '*='
    elif [[ $prev == -* ]]; then
        option=$prev
    fi
    if [[ -n $option ]]; then
        _soniabk_value_options "$path"
        if (( ${reply[(Ie)$option]} )); then
            _soniabk_choices "$path" "$option"
            if (( $#reply )); then
                compadd -a reply
            else
                _soniabk_file_options "$path"
                (( ${reply[(Ie)$option]} )) && _files
            fi
            return
        fi
    fi
    if [[ $cur == -* ]]; then
        _soniabk_options "$path"
        _describe -t options 'option' reply
        return
    fi
    _soniabk_subcommands "$path"
    commands=("${reply[@]}")
    (( $#commands )) && _describe -t commands 'command' commands
    _soniabk_choices "$path" ''
    (( $#reply )) && compadd -a reply
    _soniabk_positional_files "$path" && _files
    return 0
}

if [[ $funcstack[1] == _soniabk ]]; then
    _soniabk "$@"
else
    compdef _soniabk soniabk
fi
)SH";

}  // namespace

std::string zsh_completion(const std::vector<CompletionCommand>& model) {
    const auto subcommands = [](const CompletionCommand& c) {
        std::string list;
        for (const auto& [name, description] : c.subcommands) list += (list.empty() ? "" : " ") + described(name, description);
        return list;
    };
    const auto options = [](const CompletionCommand& c) {
        std::string list;
        for (const auto& o : c.options) {
            for (const auto& name : o.names) list += (list.empty() ? "" : " ") + described(name, o.description);
        }
        return list;
    };
    return "#compdef soniabk\n" + completion_banner("#", "zsh") +
           "# Install it as _soniabk in a directory on $fpath (e.g. /usr/share/zsh/site-functions).\n\n" +
           zsh_lookup("_soniabk_subcommands", model, subcommands) + zsh_lookup("_soniabk_options", model, options) +
           zsh_lookup("_soniabk_value_options", model, [](const CompletionCommand& c) { return zsh_list(c.value_option_names()); }) +
           zsh_lookup("_soniabk_file_options", model, [](const CompletionCommand& c) { return zsh_list(c.file_option_names()); }) +
           zsh_choices(model) + zsh_driver;
}

}  // namespace soniabk::cli
