// The program's start: its arguments in UTF-8 and its standard streams as plain bytes, on every platform.
#pragma once

#include <string>
#include <vector>

namespace soniabk::platform {

// argv as UTF-8 (Windows: from the wide command line, whatever the console's code page).
std::vector<std::string> utf8_arguments(int argc, char** argv);
// stdout and stderr write exactly the bytes given (Windows: binary mode, no "\n" -> "\r\n"; UTF-8 console).
void use_plain_standard_streams();

}  // namespace soniabk::platform
