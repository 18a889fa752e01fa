// Human output helpers shared by the subcommands' printers (stdout for results, stderr for diagnostics).
#pragma once

#include "base/wording.hpp"  // count_of, which every printer uses

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk::cli {

std::string human_bytes(std::uint64_t bytes);

// The line a backup prints when it adopted a repository older than `init` (it wrote its config.json).
void print_adopted(const std::filesystem::path& repo);

// Prints rows as left-aligned columns separated by two spaces; the first row is the header.
void print_table(const std::vector<std::vector<std::string>>& rows);

// Colour only when stdout is a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
bool colour_enabled();
enum class Colour { green, red, bold, dim };
std::string paint(std::string_view text, Colour colour, std::size_t width = 0);

// "ok" / "FAIL" marks, coloured under the rule above.
// `width` pads the plain text first, so columns stay aligned whether or not colour is on.
std::string pass_mark(bool ok, std::size_t width = 0);

// Columns as the terminal shows them: ANSI colour sequences take no room.
std::size_t visible_width(std::string_view text);

}  // namespace soniabk::cli
