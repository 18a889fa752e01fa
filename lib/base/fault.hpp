// Test seam for crashes and I/O faults at named points (SONIABK_FAULT="point[:action],...").
#pragma once

#include <string_view>

namespace soniabk::fault {

// Called at each step boundary worth crashing at: with action `kill` (the default) the process
// kills itself with SIGKILL there, as a power cut or `kill -9` would; `exit` exits 99; `pause` waits
// there up to 60 s (tests send it signals). Every point first stops an interrupted writer (interrupt::check).
void point(std::string_view name);

// True when the fault list asks the I/O call `name` ("write", "fsync") to fail.
bool should_fail(std::string_view name);

// Replaces the environment's fault list (unit tests); an empty string clears it.
void set_for_testing(std::string_view spec);

}  // namespace soniabk::fault
