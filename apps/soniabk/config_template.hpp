// The commented example config `soniabk config init` writes, generated from the command tree so it
// lists every option of every command, with its default.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace soniabk::cli {

std::string config_template(CLI::App& root);

// A TOML literal for an option's default (or a sample where it has none); "" for flags' false.
std::string toml_sample(const CLI::Option& option);

}  // namespace soniabk::cli
