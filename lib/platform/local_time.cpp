#include "platform/local_time.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <ctime>
#include <set>

namespace soniabk::platform {

namespace chr = std::chrono;

namespace {

#ifdef _WIN32
using TimeT = __time64_t;
TimeT make_time(std::tm& tm) { return _mktime64(&tm); }
bool to_local(TimeT t, std::tm& out) { return _localtime64_s(&out, &t) == 0; }
void load_zone() { _tzset(); }
#else
using TimeT = std::time_t;
TimeT make_time(std::tm& tm) { return std::mktime(&tm); }
bool to_local(TimeT t, std::tm& out) { return localtime_r(&t, &out) != nullptr; }
void load_zone() { tzset(); }
#endif

bool same_fields(const std::tm& a, const std::tm& b) {
    return a.tm_year == b.tm_year && a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday && a.tm_hour == b.tm_hour &&
           a.tm_min == b.tm_min && a.tm_sec == b.tm_sec;
}

}  // namespace

TimePoint local_to_utc(TimePoint fields, std::string_view option, std::string_view text) {
    load_zone();
    const auto day = chr::floor<chr::days>(fields);
    const chr::year_month_day date(day);
    const chr::hh_mm_ss<chr::milliseconds> time(fields - day);
    std::tm wanted{};
    wanted.tm_year = int(date.year()) - 1900;
    wanted.tm_mon = static_cast<int>(unsigned(date.month())) - 1;
    wanted.tm_mday = static_cast<int>(unsigned(date.day()));
    wanted.tm_hour = static_cast<int>(time.hours().count());
    wanted.tm_min = static_cast<int>(time.minutes().count());
    wanted.tm_sec = static_cast<int>(time.seconds().count());
    // The wall clock is read once as standard and once as summer time: the readings that give these very
    // fields back are the instants it names (none in a DST gap, two in the repeated hour).
    std::set<TimeT> instants;
    for (const int dst : {0, 1}) {
        std::tm attempt = wanted;
        attempt.tm_isdst = dst;
        const TimeT t = make_time(attempt);
        std::tm back{};
        if (t != TimeT(-1) && to_local(t, back) && same_fields(back, wanted)) instants.insert(t);
    }
    if (instants.empty()) {
        throw usage_error(fmt::format("{} '{}': that local time does not exist (clocks skip it); give an offset, "
                                      "e.g. 2026-03-29T02:30:00+01:00",
                                      option, text));
    }
    if (instants.size() > 1) {
        throw usage_error(fmt::format("{} '{}': that local time happens twice (clocks go back); give an offset, "
                                      "e.g. 2026-10-25T02:30:00+02:00 or +01:00",
                                      option, text));
    }
    return chr::time_point_cast<chr::milliseconds>(chr::system_clock::from_time_t(static_cast<std::time_t>(*instants.begin()))) +
           time.subseconds();
}

TimePoint parse_user_time(std::string_view text, std::string_view option) {
    const auto written = parse_written_time(text);
    if (!written) {
        throw usage_error(fmt::format("{} '{}' is not a time: write RFC 3339 (2026-11-26T01:30:00Z, "
                                      "2026-11-26T01:30:00+01:00) or local time (2026-11-26 01:30[:00])",
                                      option, text));
    }
    if (written->offset) return written->fields - *written->offset;
    return local_to_utc(written->fields, option, text);
}

}  // namespace soniabk::platform
