#include "sonia/state_fields.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace soniabk {

namespace {

constexpr std::array<FieldRule, 4> session_rules = {{{"session_id", FieldKind::id},
                                                     {"user_id", FieldKind::id},
                                                     {"created_at", FieldKind::timestamp},
                                                     {"last_activity", FieldKind::timestamp}}};
constexpr std::array<FieldRule, 6> confirmation_rules = {{{"confirmation_id", FieldKind::id},
                                                          {"session_id", FieldKind::id},
                                                          {"capability", FieldKind::text},
                                                          {"args", FieldKind::any},
                                                          {"created_at", FieldKind::timestamp},
                                                          {"ttl", FieldKind::non_negative_number}}};

// `count` digits at `at`, as a number; -1 when they are not all digits.
int digits(std::string_view s, std::size_t at, std::size_t count) {
    if (at + count > s.size()) return -1;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in(int year, int month) {
    constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

bool valid_offset(std::string_view zone) {
    if (zone.empty() || zone == "Z") return true;
    if (zone[0] != '+' && zone[0] != '-') return false;
    const bool colon = zone.size() == 6 && zone[3] == ':';
    if (!colon && zone.size() != 5) return false;
    const int hours = digits(zone, 1, 2);
    const int minutes = digits(zone, colon ? 4 : 3, 2);
    return hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59;
}

}  // namespace

bool is_iso8601_timestamp(std::string_view s) {
    const int year = digits(s, 0, 4);
    const int month = digits(s, 5, 2);
    const int day = digits(s, 8, 2);
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > days_in(year, month)) return false;
    const int hour = digits(s, 11, 2);
    const int minute = digits(s, 14, 2);
    const int second = digits(s, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
    std::size_t i = 19;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        const std::size_t start = ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) ++i;
        if (i == start) return false;
    }
    return valid_offset(s.substr(i));
}

std::span<const FieldRule> field_rules(StateSection section) {
    switch (section) {
        case StateSection::sessions: return session_rules;
        case StateSection::confirmations: return confirmation_rules;
        case StateSection::dlq:
        case StateSection::breakers: return {};
    }
    return {};
}

std::string field_problem(FieldKind kind, std::optional<JsonScalar> type, std::string_view text, bool whole) {
    const bool string = type == JsonScalar::string;
    switch (kind) {
        case FieldKind::id:
            if (!string || text.empty()) return "is not a non-empty string";
            return whole ? "" : fmt::format("is longer than {} bytes", JsonScanner::capture_limit);
        case FieldKind::text: return string && !text.empty() ? "" : "is not a non-empty string";
        case FieldKind::timestamp:
            return string && whole && is_iso8601_timestamp(text) ? "" : "is not an ISO-8601 timestamp";
        case FieldKind::any: return "";
        case FieldKind::non_negative_number:
            return type == JsonScalar::number && !text.starts_with('-') ? "" : "is not a non-negative number";
    }
    return "";
}

}  // namespace soniabk
