// One helpful line for a command line CLI11 rejected: the mistyped command or option and the nearest real one.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace soniabk::cli {

std::optional<std::string> usage_hint(const CLI::App& root, const CLI::ParseError& error, int argc, char** argv);

}  // namespace soniabk::cli
