#include "platform/terminal.hpp"

#include <cerrno>
#include <termios.h>
#include <unistd.h>

namespace soniabk::platform {

bool is_terminal(int stream_fd) { return ::isatty(stream_fd) == 1; }

bool read_line_without_echo(int stream_fd, std::vector<unsigned char>& out) {
    out.clear();
    out.reserve(1024);
    termios saved {};
    const bool terminal = ::tcgetattr(stream_fd, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(stream_fd, TCSANOW, &quiet);
    }
    bool got_line = false;
    unsigned char c = 0;
    for (;;) {
        const ssize_t n = ::read(stream_fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got_line = true;
        if (c == '\n') break;
        if (out.size() + 1 < out.capacity()) out.push_back(c);  // longer lines are cut, never reallocated
    }
    if (terminal) ::tcsetattr(stream_fd, TCSANOW, &saved);
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return got_line;
}

}  // namespace soniabk::platform
