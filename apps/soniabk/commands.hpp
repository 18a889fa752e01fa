// Every subcommand's registration function; each lives in its own cmd_*.cpp.
#pragma once

#include "cli.hpp"
#include "config.hpp"

namespace soniabk::cli {

void register_backup(CLI::App& app, CommandTable& table);
void register_list(CLI::App& app, CommandTable& table);
void register_verify(CLI::App& app, CommandTable& table);
void register_config(CLI::App& app, CommandTable& table, ConfigSupport& config);
void register_completion(CLI::App& app, CommandTable& table, ConfigSupport& config);
void register_schedule(CLI::App& app, CommandTable& table);

}  // namespace soniabk::cli
