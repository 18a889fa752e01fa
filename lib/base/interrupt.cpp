#include "base/interrupt.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <atomic>

namespace soniabk::interrupt {

namespace {

std::atomic<int> pending_request{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only store to a lock-free atomic");

}  // namespace

void request(Request r) noexcept { pending_request.store(static_cast<int>(r)); }

Request pending() noexcept { return static_cast<Request>(pending_request.load()); }

Request take() noexcept { return static_cast<Request>(pending_request.exchange(0)); }

void check() {
    const Request r = pending();
    if (r == Request::none) return;
    throw runtime_error(ErrorCode::interrupted,
                        fmt::format("interrupted by {}: stopped, nothing half-written was left", signal_name(r)));
}

int exit_code(Request r) noexcept { return 128 + static_cast<int>(r); }

std::string_view signal_name(Request r) noexcept {
    switch (r) {
        case Request::interrupt: return "SIGINT";
        case Request::terminate: return "SIGTERM";
        case Request::none: break;
    }
    return "no signal";
}

void reset_for_testing() noexcept { pending_request.store(0); }

}  // namespace soniabk::interrupt
