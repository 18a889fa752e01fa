#include "platform/terminal.hpp"

#include <io.h>
#include <windows.h>

namespace soniabk::platform {

bool is_terminal(int stream_fd) { return ::_isatty(stream_fd) != 0; }

bool read_line_without_echo(int stream_fd, std::vector<unsigned char>& out) {
    out.clear();
    out.reserve(1024);
    const HANDLE console = ::GetStdHandle(stream_fd == 0 ? STD_INPUT_HANDLE : STD_ERROR_HANDLE);
    DWORD saved = 0;
    const bool terminal = ::GetConsoleMode(console, &saved) != 0;
    if (terminal) ::SetConsoleMode(console, saved & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
    bool got_line = false;
    for (;;) {
        char c = 0;
        DWORD n = 0;
        if (!::ReadFile(console, &c, 1, &n, nullptr) || n == 0) break;
        got_line = true;
        if (c == '\n') break;
        if (out.size() + 1 < out.capacity()) out.push_back(static_cast<unsigned char>(c));
    }
    if (terminal) ::SetConsoleMode(console, saved);
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return got_line;
}

}  // namespace soniabk::platform
