#include "base/wording.hpp"

#include <fmt/format.h>

namespace soniabk {

std::string count_of(std::size_t n, std::string_view noun, std::string_view plural) {
    if (n == 1) return fmt::format("1 {}", noun);
    return plural.empty() ? fmt::format("{} {}s", n, noun) : fmt::format("{} {}", n, plural);
}

}  // namespace soniabk
