// Operating-system interrupts turned into interrupt requests (base/interrupt.hpp) while a writer runs:
// SIGINT and SIGTERM on POSIX; Ctrl-C, Ctrl-Break and closing the console (or logoff, shutdown) on Windows.
#pragma once

namespace soniabk::platform {

// Installed for its lifetime (one at a time). The first signal is a request the work acts on at its next
// check; a second one ends the process at once, as if no handler were installed.
class InterruptHandlers {
public:
    InterruptHandlers();
    ~InterruptHandlers();
    InterruptHandlers(const InterruptHandlers&) = delete;
    InterruptHandlers& operator=(const InterruptHandlers&) = delete;
};

}  // namespace soniabk::platform
