#include "platform/program.hpp"

namespace soniabk::platform {

std::vector<std::string> utf8_arguments(int argc, char** argv) { return {argv, argv + argc}; }

void use_plain_standard_streams() {}

}  // namespace soniabk::platform
