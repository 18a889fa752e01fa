// -vv: every SQLite statement soniabk runs, with its time, reported to the CLI's Trace.
#pragma once

#include "base/trace.hpp"

namespace soniabk {

// Connections opened after this report each statement to `trace` when it wants TraceLevel::detail.
void trace_sqlite(Trace& trace);

}  // namespace soniabk
