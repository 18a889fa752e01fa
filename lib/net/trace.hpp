// -vv: every HTTP request soniabk makes, with its answer and time, reported to the CLI's Trace.
#pragma once

#include "base/trace.hpp"

namespace soniabk {

// Requests made after this are reported to `trace` when it wants TraceLevel::detail.
void trace_http(Trace& trace);
// The trace trace_http set (a silent one before), for every HTTP client in soniabk.
Trace& http_trace();

}  // namespace soniabk
