// Times operators write (restore --at): RFC 3339 with an offset, or the machine's local time.
#pragma once

#include "base/clock.hpp"

#include <string_view>

namespace soniabk::platform {

// The UTC instant of `fields` (a wall-clock date and time) in the machine's local time zone (TZ).
// Usage error naming `option` when that local time does not exist (skipped by a DST change) or happens
// twice (the hour repeated when DST ends): an offset says which.
TimePoint local_to_utc(TimePoint fields, std::string_view option, std::string_view text);

// `text` as parse_written_time reads it, resolved to UTC; usage error naming `option` and the forms it takes.
TimePoint parse_user_time(std::string_view text, std::string_view option);

}  // namespace soniabk::platform
