#include "base/error.hpp"
#include "commands/verify_subset.hpp"
#include "fake_repo.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

using namespace soniabk;
using test::at;

TEST_CASE("verify_subset: N/M is read as written, auto/M takes turns by the UTC day") {
    const TimePoint now = at("2026-12-02T03:00:00Z");
    CHECK(parse_data_subset("3/7", now).text() == "3/7");
    CHECK(parse_data_subset("1/1", now).text() == "1/1");
    std::set<std::uint32_t> seen;
    for (int day = 0; day < 7; ++day) {
        const DataSubset s = parse_data_subset("auto/7", now + std::chrono::days(day));
        CHECK(s.m == 7);
        seen.insert(s.n);
    }
    CHECK(seen.size() == 7);  // a week of nights reads every part once
    CHECK(parse_data_subset("auto/7", now).n == parse_data_subset("auto/7", now + std::chrono::hours(20)).n);
    for (const char* bad : {"0/3", "4/3", "3", "/3", "a/3", "1/0", "1/3x", "-1/3", ""}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_data_subset(bad, now), Error);
    }
}

TEST_CASE("verify_subset: the parts of M partition the keys, the same way every time") {
    std::vector<int> sizes(5, 0);
    for (int i = 0; i < 500; ++i) {
        const std::string key = fmt::format("pages/packs/{:032x}.pack", i * 7919);
        int parts = 0;
        for (std::uint32_t n = 1; n <= 5; ++n) {
            if (in_subset({n, 5}, key)) {
                ++parts;
                ++sizes[n - 1];
            }
        }
        CHECK(parts == 1);
    }
    for (const int size : sizes) CHECK((size > 60 && size < 140));  // roughly a fifth each
    CHECK(in_subset({1, 1}, "anything"));
}
