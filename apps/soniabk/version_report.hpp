// `soniabk --version`: the versions of soniabk and of the libraries it runs on, as text or JSON.
#pragma once

#include "base/json.hpp"

#include <string>

namespace soniabk::cli {

std::string version_text();
Json version_json();

}  // namespace soniabk::cli
