#include "base/environment.hpp"

#include <cstdlib>

namespace soniabk {

std::string environment(std::string_view name) {
    if (name.empty()) return {};
    const char* value = std::getenv(std::string(name).c_str());
    return value == nullptr ? std::string() : std::string(value);
}

}  // namespace soniabk
