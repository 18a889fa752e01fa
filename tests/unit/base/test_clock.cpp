#include "base/clock.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace std::chrono_literals;

TEST_CASE("clock: durations parse and print in the documented forms") {
    SECTION("single units") {
        CHECK(parse_duration("500ms") == 500ms);
        CHECK(parse_duration("90s") == 90s);
        CHECK(parse_duration("15m") == 15min);
        CHECK(parse_duration("24h") == 24h);
        CHECK(parse_duration("7d") == std::chrono::days(7));
    }
    SECTION("combinations") {
        CHECK(parse_duration("1h30m") == 90min);
        CHECK(parse_duration("1d2h3m4s5ms") == std::chrono::days(1) + 2h + 3min + 4s + 5ms);
    }
    SECTION("rejects what is not a duration") {
        for (const char* bad : {"", "5", "h", "5x", "-5s", "1.5h", "5 s", "ms"}) {
            INFO(bad);
            CHECK_FALSE(parse_duration(bad).has_value());
        }
    }
    SECTION("formatting round-trips") {
        for (Duration d : {Duration(90min), Duration(std::chrono::days(7)), Duration(1500ms), Duration(0ms)}) {
            CHECK(parse_duration(format_duration(d)) == d);
        }
        CHECK(format_duration(90min) == "1h30m");
    }
}

TEST_CASE("clock: UTC timestamps") {
    const TimePoint t = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 0h + 30min + 5s + 123ms;
    SECTION("ISO-8601 with milliseconds and Z") { CHECK(format_iso8601(t) == "2026-11-26T00:30:05.123Z"); }
    SECTION("compact form for file names") { CHECK(format_compact(t) == "20261126-003005"); }
    SECTION("parse accepts what format writes and shorter forms") {
        CHECK(parse_iso8601("2026-11-26T00:30:05.123Z") == t);
        CHECK(parse_iso8601("2026-11-26 00:30:05") == t - 123ms);
        CHECK(parse_iso8601("2026-11-26") == TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 26)));
    }
    SECTION("parse rejects invalid dates and garbage") {
        for (const char* bad : {"2026-02-30", "2026-13-01", "yesterday", "2026-11-26T25:00:00Z", "2026-11-26Tx"}) {
            INFO(bad);
            CHECK_FALSE(parse_iso8601(bad).has_value());
        }
    }
    SECTION("a fixed clock stands still until advanced") {
        FixedClock clock(t);
        CHECK(clock.now() == t);
        clock.advance(1h);
        CHECK(clock.now() == t + 1h);
    }
}

TEST_CASE("clock: durations too long for the clock are refused, not overflowed (fuzzer finding)") {
    CHECK_FALSE(parse_duration("166668888888880m66665ms"));  // the input libFuzzer found
    CHECK_FALSE(parse_duration("9223372036854775807ms"));
    CHECK_FALSE(parse_duration("600000w"));
    CHECK(parse_duration("520000w"));
    CHECK(parse_duration("52w1d") == std::chrono::hours(24 * 365));
}

TEST_CASE("clock: written times read RFC 3339 offsets and zone-less local forms") {
    const auto utc = [](std::string_view text) {
        const auto w = parse_written_time(text);
        REQUIRE(w);
        REQUIRE(w->offset);
        return w->fields - *w->offset;
    };
    CHECK(format_iso8601(utc("2026-11-26T01:30:00+01:00")) == "2026-11-26T00:30:00.000Z");
    CHECK(format_iso8601(utc("2026-11-26T01:30:00-05:30")) == "2026-11-26T07:00:00.000Z");
    CHECK(format_iso8601(utc("2026-11-26T01:30:00.250Z")) == "2026-11-26T01:30:00.250Z");
    CHECK(format_iso8601(utc("2026-11-26 01:30:00z")) == "2026-11-26T01:30:00.000Z");
    for (const char* local : {"2026-11-26 01:30", "2026-11-26 01:30:00", "2026-11-26T01:30"}) {
        INFO(local);
        const auto w = parse_written_time(local);
        REQUIRE(w);
        CHECK_FALSE(w->offset);
        CHECK(format_iso8601(w->fields) == "2026-11-26T01:30:00.000Z");
    }
    CHECK(format_iso8601(parse_written_time("2026-11-26")->fields) == "2026-11-26T00:00:00.000Z");
    for (const char* bad : {"yesterday", "2026-11-26 1:30", "2026-11-26T01:30:00+1", "2026-11-26T01:30:00+01:60",
                            "2026-02-30 01:30", "2026-11-26T01:30:00.Z", "2026-11-26 01:30 "}) {
        INFO(bad);
        CHECK_FALSE(parse_written_time(bad));
    }
}
