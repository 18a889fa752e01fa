#include "base/clock.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

namespace soniabk {

namespace chr = std::chrono;

TimePoint SystemClock::now() const { return chr::time_point_cast<chr::milliseconds>(chr::system_clock::now()); }

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

namespace {

struct Civil {
    chr::year_month_day date;
    chr::hh_mm_ss<chr::milliseconds> time;
};

Civil split(TimePoint t) {
    const auto day = chr::floor<chr::days>(t);
    return {chr::year_month_day(day), chr::hh_mm_ss<chr::milliseconds>(t - day)};
}

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
    if (ec != std::errc() || end != text.data() + pos + width) return std::nullopt;
    pos += width;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

// "YYYY-MM-DD" at `pos`, advancing it; none unless it is a real date.
std::optional<chr::year_month_day> read_date(std::string_view text, std::size_t& pos) {
    const auto y = digits(text, pos, 4);
    if (!y || !expect(text, pos, '-')) return std::nullopt;
    const auto mo = digits(text, pos, 2);
    if (!mo || !expect(text, pos, '-')) return std::nullopt;
    const auto d = digits(text, pos, 2);
    if (!d) return std::nullopt;
    const chr::year_month_day date{chr::year(*y), chr::month(unsigned(*mo)), chr::day(unsigned(*d))};
    if (!date.ok()) return std::nullopt;
    return date;
}

}  // namespace

std::string format_iso8601(TimePoint t) {
    const auto [date, time] = split(t);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(date.year()), unsigned(date.month()),
                       unsigned(date.day()), time.hours().count(), time.minutes().count(), time.seconds().count(),
                       time.subseconds().count());
}

std::string format_compact(TimePoint t) {
    const auto [date, time] = split(t);
    return fmt::format("{:04}{:02}{:02}-{:02}{:02}{:02}", int(date.year()), unsigned(date.month()),
                       unsigned(date.day()), time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
    std::size_t pos = 0;
    const auto date = read_date(text, pos);
    if (!date) return std::nullopt;
    TimePoint result = chr::sys_days(*date);
    if (pos == text.size()) return result;
    if (text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
    ++pos;
    const auto h = digits(text, pos, 2);
    if (!h || *h > 23 || !expect(text, pos, ':')) return std::nullopt;
    const auto mi = digits(text, pos, 2);
    if (!mi || *mi > 59 || !expect(text, pos, ':')) return std::nullopt;
    const auto s = digits(text, pos, 2);
    if (!s || *s > 60) return std::nullopt;
    result += chr::hours(*h) + chr::minutes(*mi) + chr::seconds(*s);
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int scale = 100;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            result += chr::milliseconds((text[pos] - '0') * scale);
            scale /= 10;
            ++pos;
        }
    }
    if (pos < text.size() && text[pos] == 'Z') ++pos;
    return pos == text.size() ? std::optional(result) : std::nullopt;
}

namespace {

// "Z" or "+HH:MM" / "-HH:MM" at `pos`, advancing it; none when the text has no zone there.
std::optional<chr::minutes> zone_offset(std::string_view text, std::size_t& pos, bool& malformed) {
    if (pos >= text.size()) return std::nullopt;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
        return chr::minutes(0);
    }
    if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
    const int sign = text[pos++] == '-' ? -1 : 1;
    const auto h = digits(text, pos, 2);
    const bool colon = expect(text, pos, ':');
    const auto m = digits(text, pos, 2);
    if (!h || !colon || !m || *h > 23 || *m > 59) {
        malformed = true;
        return std::nullopt;
    }
    return chr::minutes(sign * (*h * 60 + *m));
}

}  // namespace

std::optional<WrittenTime> parse_written_time(std::string_view text) {
    std::size_t pos = 0;
    const auto date = read_date(text, pos);
    if (!date) return std::nullopt;
    WrittenTime written{chr::sys_days(*date), std::nullopt};
    if (pos == text.size()) return written;
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    const auto h = digits(text, pos, 2);
    if (!h || *h > 23 || !expect(text, pos, ':')) return std::nullopt;
    const auto mi = digits(text, pos, 2);
    if (!mi || *mi > 59) return std::nullopt;
    written.fields += chr::hours(*h) + chr::minutes(*mi);
    if (expect(text, pos, ':')) {
        const auto s = digits(text, pos, 2);
        if (!s || *s > 60) return std::nullopt;
        written.fields += chr::seconds(*s);
        if (expect(text, pos, '.')) {
            const std::size_t first = pos;
            int scale = 100;
            for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10) {
                written.fields += chr::milliseconds((text[pos] - '0') * scale);
            }
            if (pos == first) return std::nullopt;
        }
    }
    bool malformed = false;
    written.offset = zone_offset(text, pos, malformed);
    if (malformed || pos != text.size()) return std::nullopt;
    return written;
}

namespace {
constexpr Duration max_duration = chr::duration_cast<Duration>(chr::years(10000));
}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    Duration total{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
        if (ec != std::errc() || value < 0) return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        const std::string_view rest = text.substr(pos);
        Duration unit{};
        if (rest.starts_with("ms")) {
            unit = chr::milliseconds(1);
            ++pos;
        } else if (rest.empty()) {
            return std::nullopt;
        } else {
            switch (rest.front()) {
                case 's': unit = chr::seconds(1); break;
                case 'm': unit = chr::minutes(1); break;
                case 'h': unit = chr::hours(1); break;
                case 'd': unit = chr::days(1); break;
                case 'w': unit = chr::weeks(1); break;
                default: return std::nullopt;
            }
        }
        ++pos;
        // Longer than any clock soniabk compares with is a typo, not a duration (and must not overflow).
        if (value > (max_duration - total) / unit) return std::nullopt;
        total += unit * value;
    }
    return total;
}

std::string format_duration(Duration d) {
    if (d.count() == 0) return "0s";
    std::string out;
    auto take = [&](auto unit, const char* suffix) {
        const auto n = d / unit;
        if (n > 0) {
            out += fmt::format("{}{}", n, suffix);
            d -= n * unit;
        }
    };
    take(chr::days(1), "d");
    take(chr::hours(1), "h");
    take(chr::minutes(1), "m");
    take(chr::seconds(1), "s");
    take(chr::milliseconds(1), "ms");
    return out;
}

double to_seconds(Duration d) { return chr::duration<double>(d).count(); }

}  // namespace soniabk
