// Interrupt requests (SIGINT, SIGTERM; on Windows Ctrl-C and closing the console): platform's handlers record
// them, and the work stops at its next check by throwing, so the unwinding removes its temp files as any
// failure does and the journal records `interrupted`.
#pragma once

#include <string_view>

namespace soniabk::interrupt {

enum class Request { none = 0, interrupt = 2, terminate = 15 };  // the POSIX signal numbers

// Records a request; async-signal-safe (one lock-free atomic store).
void request(Request r) noexcept;
Request pending() noexcept;
// Returns the pending request and clears it: a command that stops gracefully (replicate) finishes its work
// without the next check() throwing.
Request take() noexcept;
// Throws Error `interrupted` when a request is pending: called at step boundaries and in every streaming loop.
void check();
// 130 for an interrupt, 143 for a terminate (128 + the signal number, as shells report them).
int exit_code(Request r) noexcept;
std::string_view signal_name(Request r) noexcept;
// Clears the request (unit tests).
void reset_for_testing() noexcept;

}  // namespace soniabk::interrupt
