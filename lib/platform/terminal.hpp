// The terminal: whether a stream is one, and reading a secret from it without echo.
#pragma once

#include <vector>

namespace soniabk::platform {

bool is_terminal(int stream_fd);
// Reads one line from the terminal `stream_fd` with echo switched off (passphrases) into `out`, which has
// room reserved up front so no copy of the secret is left behind by a reallocation; false at end of input.
bool read_line_without_echo(int stream_fd, std::vector<unsigned char>& out);

}  // namespace soniabk::platform
