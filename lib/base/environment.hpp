// Reading the process environment: the one place soniabk asks for a variable.
#pragma once

#include <string>
#include <string_view>

namespace soniabk {

// The variable's value; empty when it is unset (or the name is empty), so unset and empty mean the same.
std::string environment(std::string_view name);

}  // namespace soniabk
