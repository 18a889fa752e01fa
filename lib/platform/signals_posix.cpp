#include "platform/signals.hpp"

#include "base/interrupt.hpp"

#include <csignal>

namespace soniabk::platform {

namespace {

struct sigaction previous_int;
struct sigaction previous_term;

extern "C" void on_signal(int number) {
    if (interrupt::pending() != interrupt::Request::none) {  // the second one: stop now
        std::signal(number, SIG_DFL);
        std::raise(number);
        return;
    }
    interrupt::request(number == SIGTERM ? interrupt::Request::terminate : interrupt::Request::interrupt);
}

}  // namespace

InterruptHandlers::InterruptHandlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // system calls carry on; the work notices at its next check
    ::sigaction(SIGINT, &action, &previous_int);
    ::sigaction(SIGTERM, &action, &previous_term);
}

InterruptHandlers::~InterruptHandlers() {
    ::sigaction(SIGINT, &previous_int, nullptr);
    ::sigaction(SIGTERM, &previous_term, nullptr);
}

}  // namespace soniabk::platform
