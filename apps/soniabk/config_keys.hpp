// How config file entries map onto the command tree: the command a table names, the options a key
// sets and whether its value fits them; every problem is an error naming file, line and key.
#pragma once

#include "base/config_file.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk::cli {

struct ConfigTarget {
    CLI::App* command;
    CLI::Option* option;
};

// The command `[a.b]` names; an unknown one is an error suggesting the nearest table.
CLI::App& resolve_table(CLI::App& root, const std::vector<std::string>& table, const std::filesystem::path& file,
                        int line);

// The options a key sets: at the top, every command's option of that name; in a table, that command's.
std::vector<ConfigTarget> targets_of(CLI::App& root, CLI::App& command, const ConfigEntry& entry,
                                     const std::filesystem::path& file);

// Wrong types, values the option's validators reject and command-line-only keys are errors.
void check_value(const ConfigEntry& entry, CLI::Option& option, const std::filesystem::path& file);

}  // namespace soniabk::cli
