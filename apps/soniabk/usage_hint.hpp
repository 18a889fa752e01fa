// One helpful line for a command line CLI11 rejected, in soniabk's words: the mistyped command or option and
// the nearest real one, or CLI11's own message reworded. The one place CLI11's messages are turned into ours.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace soniabk::cli {

std::string usage_message(const CLI::App& root, const CLI::ParseError& error, int argc, char** argv);

}  // namespace soniabk::cli
