// soniabk completion bash|zsh|fish|powershell: a completion script generated from the command tree.
#include "commands.hpp"
#include "completion.hpp"

#include <iostream>

namespace soniabk::cli {

void register_completion(CLI::App& app, CommandTable& table, ConfigSupport& config) {
    auto shell = std::make_shared<std::string>();
    CLI::App* completion = app.add_subcommand("completion", "Print the shell completion script for bash, zsh, fish or PowerShell");
    completion->add_option("SHELL", *shell, "The shell")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish", "powershell"}));
    config.skip_for(completion);
    table.add(completion, [&app, shell](const GlobalOptions&) {
        const auto model = completion_model(app);
        const std::string script = *shell == "bash" ? bash_completion(model)
                                   : *shell == "zsh"  ? zsh_completion(model)
                                   : *shell == "fish" ? fish_completion(model)
                                                      : powershell_completion(model);
        return Outcome{{{"ok", true}, {"shell", *shell}, {"script", script}}, [script] { std::cout << script; }};
    });
}

}  // namespace soniabk::cli
