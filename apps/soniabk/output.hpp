// Human output helpers shared by the subcommands' printers (stdout for results, stderr for diagnostics).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace soniabk::cli {

std::string human_bytes(std::uint64_t bytes);

// Prints rows as left-aligned columns separated by two spaces; the first row is the header.
void print_table(const std::vector<std::vector<std::string>>& rows);

// "ok" / "FAIL" marks, coloured only on a terminal and never with NO_COLOR.
std::string pass_mark(bool ok);

}  // namespace soniabk::cli
