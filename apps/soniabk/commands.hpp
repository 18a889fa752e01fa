// Every subcommand's registration function; each lives in its own cmd_*.cpp.
#pragma once

#include "cli.hpp"

namespace soniabk::cli {

void register_backup(CLI::App& app, CommandTable& table);
void register_list(CLI::App& app, CommandTable& table);
void register_verify(CLI::App& app, CommandTable& table);
void register_restore(CLI::App& app, CommandTable& table);
void register_drill(CLI::App& app, CommandTable& table);

}  // namespace soniabk::cli
