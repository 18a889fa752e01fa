#include "output.hpp"

#include "platform/terminal.hpp"
#include "base/environment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace soniabk::cli {

std::string human_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], visible_width(row[i]));
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - visible_width(row[i]) + 2, ' ');
        }
        fmt::print("{}\n", line);
    }
}

bool colour_enabled() {
    static const bool enabled = [] {
        return environment("NO_COLOR").empty() && environment("TERM") != "dumb" && platform::is_terminal(1);
    }();
    return enabled;
}

std::string paint(std::string_view text, Colour colour, std::size_t width) {
    const std::string padded = fmt::format("{:<{}}", text, width);
    if (!colour_enabled()) return padded;
    static constexpr const char* codes[] = {"32", "31", "1", "2"};
    const std::size_t end = padded.find_last_not_of(' ') + 1;  // colour the word, not its padding
    return fmt::format("\033[{}m{}\033[0m{}", codes[static_cast<int>(colour)], padded.substr(0, end), padded.substr(end));
}

std::string pass_mark(bool ok, std::size_t width) {
    return ok ? paint("ok", Colour::green, width) : paint("FAIL", Colour::red, width);
}

std::size_t visible_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\033') {
            while (i < text.size() && text[i] != 'm') ++i;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++width;  // count UTF-8 lead bytes only
        }
    }
    return width;
}

void print_adopted(const std::filesystem::path& repo) {
    fmt::print("adopted {} as a repository: wrote its config.json (format files, the encryption of its newest "
               "backup); 'soniabk init' makes new ones\n",
               repo.string());
}

}  // namespace soniabk::cli
