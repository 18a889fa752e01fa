// Test seam for crashes and I/O faults at named points and at numbered I/O calls (SONIABK_FAULT).
#pragma once

#include <string_view>

namespace soniabk::fault {

// Called at each step boundary worth crashing at: with action `kill` (the default) the process
// kills itself there, as a power cut or `kill -9` would; `exit` exits 99; `pause` waits there up to 60 s
// (tests send it signals). Every point first stops an interrupted writer (interrupt::check).
void point(std::string_view name);

// True when the fault list names `name` alone ("old_sqlite"): a condition a test forces.
bool should_fail(std::string_view name);

// What an I/O call must do instead of its real work.
enum class IoFault { none, io_error, no_space, access_denied, short_write };

// Counts one I/O call of kind `op` (read, write, fsync, sync_dir, rename, create, open, mkdir, remove) and
// returns the failure the fault list asks of it: `io#N:KIND` fails the N-th I/O call of the process,
// `io.OP#N:KIND` the N-th call of kind OP, `OP` or `OP:KIND` every one (KIND: eio, enospc, eacces, short).
// A fired fault is appended as a line to the file SONIABK_FAULT_LOG names, if any.
IoFault io_call(std::string_view op);

// Replaces the environment's fault list (unit tests) and restarts the counts; "" clears it.
void set_for_testing(std::string_view spec);

}  // namespace soniabk::fault
