#include "completion.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

std::string powershell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string array(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + powershell_quoted(i);
    return "@(" + out + ")";
}

std::string command_table(const CompletionCommand& c) {
    std::string choices;
    std::string descriptions;
    for (const auto& o : c.options) {
        for (const auto& name : o.names) {
            if (!o.choices.empty()) choices += fmt::format("{} = {}; ", powershell_quoted(name), array(o.choices));
            if (!o.description.empty()) descriptions += fmt::format("{} = {}; ", powershell_quoted(name), powershell_quoted(o.description));
        }
    }
    for (const auto& [name, description] : c.subcommands) {
        if (!description.empty()) descriptions += fmt::format("{} = {}; ", powershell_quoted(name), powershell_quoted(description));
    }
    return fmt::format(
        "        {} = @{{\n            Subcommands = {}\n            Options = {}\n            ValueOptions = {}\n"
        "            FileOptions = {}\n            Positional = {}\n            Choices = @{{ {}}}\n"
        "            Descriptions = @{{ {}}}\n        }}\n",
        powershell_quoted(c.path), array(c.subcommand_names()), array(c.option_names()), array(c.value_option_names()),
        array(c.file_option_names()), array(c.positional_choices), choices, descriptions);
}

constexpr const char* powershell_driver = R"SH(
    # The words before the one being completed, without the program name.
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.ToString() })
    # Which command is being completed: follow the words, skipping options and their values.
    $path = ''
    for ($i = 0; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        if ($word.StartsWith('-')) {
            if ($commands[$path].ValueOptions -contains $word) { $i++ }
        } elseif ($commands[$path].Subcommands -contains $word) {
            $path = if ($path) { "$path $word" } else { $word }
        }
    }
    $command = $commands[$path]
    $prev = if ($words.Count -gt 0) { $words[-1] } else { '' }
    if ($prev.StartsWith('-') -and $command.ValueOptions -contains $prev) {
        if (-not $command.Choices.ContainsKey($prev)) { return }  # PowerShell then completes file names
        $candidates = $command.Choices[$prev]
    } elseif ($wordToComplete.StartsWith('-')) {
        $candidates = $command.Options
    } else {
        $candidates = @($command.Subcommands) + @($command.Positional)
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        $tip = if ($command.Descriptions.ContainsKey($_)) { $command.Descriptions[$_] } else { $_ }
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $tip)
    }
}
)SH";

}  // namespace

std::string powershell_completion(const std::vector<CompletionCommand>& model) {
    std::string tables;
    for (const auto& c : model) tables += command_table(c);
    return completion_banner("#", "powershell") + "# Load it with `. soniabk.ps1` (for example from your $PROFILE).\n\n" +
           "Register-ArgumentCompleter -Native -CommandName 'soniabk', 'soniabk.exe' -ScriptBlock {\n" +
           "    param($wordToComplete, $commandAst, $cursorPosition)\n" + "    $commands = @{\n" + tables + "    }" + powershell_driver;
}

}  // namespace soniabk::cli
