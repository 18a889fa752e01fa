// Time: the clock seam tests replace, UTC timestamps in ISO-8601 and file-name form, durations.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

// Where "now" comes from; tests pass a FixedClock to fake time.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override;
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(TimePoint at) : at_(at) {}
    TimePoint now() const override { return at_; }
    void advance(Duration by) { at_ += by; }

private:
    TimePoint at_;
};

const Clock& system_clock();

// "2026-11-26T00:30:00.123Z"
std::string format_iso8601(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z", "YYYY-MM-DD HH:MM:SS" (UTC) and "YYYY-MM-DD".
std::optional<TimePoint> parse_iso8601(std::string_view text);
// A time as an operator writes it: the wall-clock fields (as if UTC) and the offset when one was written.
struct WrittenTime {
    TimePoint fields;                            // the written date and time, read as if in UTC
    std::optional<std::chrono::minutes> offset;  // Z is 0; none: local time of the machine
};
// RFC 3339 ("2026-11-26T01:30:00+01:00", "...Z", fractions allowed, 'T' or ' ') or, without a zone,
// "YYYY-MM-DD[( |T)HH:MM[:SS]]" in local time.
std::optional<WrittenTime> parse_written_time(std::string_view text);
// "20261126-003000", the form backup file names carry.
std::string format_compact(TimePoint t);

// Durations are written 500ms, 90s, 15m, 24h, 7d, or combined: 1h30m.
std::optional<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);
// Seconds as a floating-point number, the unit of every *_seconds JSON field.
double to_seconds(Duration d);

}  // namespace soniabk
