// Shell completion scripts generated from the command tree itself, so they never drift from the CLI.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

namespace soniabk::cli {

struct CompletionOption {
    std::vector<std::string> names;  // "--label", "-q"
    std::string description;
    bool takes_value = false;
    bool files = false;  // the value is a file or directory name
    std::vector<std::string> choices;
};

// One command as the shells see it; `options` includes its parents' (they are accepted below them).
struct CompletionCommand {
    std::string path;  // "" for soniabk itself, "backup db"
    std::string description;
    std::vector<std::pair<std::string, std::string>> subcommands;  // name, description
    std::vector<CompletionOption> options;
    std::vector<std::string> positional_choices;
    bool positional_files = false;

    std::vector<std::string> option_names() const;
    std::vector<std::string> value_option_names() const;
    std::vector<std::string> file_option_names() const;
    std::vector<std::string> subcommand_names() const;
};

std::vector<CompletionCommand> completion_model(const CLI::App& root);

std::string bash_completion(const std::vector<CompletionCommand>& model);
std::string zsh_completion(const std::vector<CompletionCommand>& model);
std::string fish_completion(const std::vector<CompletionCommand>& model);
std::string powershell_completion(const std::vector<CompletionCommand>& model);

// The first line of every script: generated, by which version, do not edit.
std::string completion_banner(const std::string& comment, const std::string& shell);

}  // namespace soniabk::cli
