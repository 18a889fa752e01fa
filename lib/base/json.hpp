// The JSON type of every document soniabk writes: keys keep the order they are written in.
#pragma once

#include <nlohmann/json.hpp>

namespace soniabk {
using Json = nlohmann::ordered_json;
}
