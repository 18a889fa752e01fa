#include "platform/signals.hpp"

#include "base/interrupt.hpp"

#include <atomic>
#include <windows.h>

namespace soniabk::platform {

namespace {

// Set when the handlers are removed: the work has unwound (temps removed, journal written).
std::atomic<bool> work_finished{false};

// Windows ends the process when the handler of a close, logoff or shutdown event returns (and after about
// 5 s in any case), so the handler waits for the work to unwind, a little less than that.
constexpr DWORD close_wait_ms = 4500;

BOOL WINAPI on_console_event(DWORD event) {
    const bool closing = event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT;
    if (!closing && event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT) return FALSE;
    if (!closing && interrupt::pending() != interrupt::Request::none) return FALSE;  // the second Ctrl-C: default, end now
    interrupt::request(closing ? interrupt::Request::terminate : interrupt::Request::interrupt);
    if (closing) {
        for (DWORD waited = 0; !work_finished.load() && waited < close_wait_ms; waited += 50) ::Sleep(50);
    }
    return TRUE;
}

}  // namespace

InterruptHandlers::InterruptHandlers() {
    work_finished.store(false);
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

InterruptHandlers::~InterruptHandlers() {
    work_finished.store(true);
    ::SetConsoleCtrlHandler(on_console_event, FALSE);
}

}  // namespace soniabk::platform
