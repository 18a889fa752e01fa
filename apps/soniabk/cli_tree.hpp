// Reading the CLI11 command tree generically: commands, their options, choices; used by config,
// completions, suggestions and `config show`, so commands added later get all of them for free.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace soniabk::cli {

// Named subcommands of `app` in registration order (option groups left out).
std::vector<CLI::App*> subcommands_of(const CLI::App& app);

// Every command below `root` (pre-order), `root` itself first.
void for_each_command(CLI::App& root, const std::function<void(CLI::App&)>& visit);

// "backup db" for `soniabk backup db`; empty for the root.
std::string command_path(const CLI::App& app);

// The commands from the root down to `app`, root first.
std::vector<const CLI::App*> lineage(const CLI::App& app);

// The command the user chose (the deepest parsed subcommand).
const CLI::App& chosen_command(const CLI::App& root);

// Options that have a long name, help and positionals left out; the key a config file uses is the
// long name without dashes.
std::vector<CLI::Option*> named_options(const CLI::App& app);
std::string key_of(const CLI::Option& option);
CLI::Option* find_named_option(const CLI::App& app, const std::string& key);

bool takes_value(const CLI::Option& option);
bool is_positional(const CLI::Option& option);

// The option's validators (CLI11 offers them only by index, throwing past the last).
std::vector<const CLI::Validator*> validators_of(const CLI::Option& option);

// The allowed values of an option checked with CLI::IsMember (read from the validator's "{a,b}").
std::vector<std::string> choices_of(const CLI::Option& option);

// What an option's value is, by CLI11's type name (or numeric validators under a custom one such as
// "N"): decides completion and config type checks. `scalar`: a custom type name, text or number.
enum class ValueKind { flag, boolean, integer, unsigned_integer, number, duration, text, path, scalar };
ValueKind value_kind(const CLI::Option& option);

// The nearest of `candidates` to a mistyped `word` ("did you mean"), or empty.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace soniabk::cli
