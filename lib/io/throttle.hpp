// Bandwidth limits (`--bwlimit`): a sink wrapper that holds the bytes passing through to a rate.
#pragma once

#include "io/stream.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace soniabk {

// A rate such as `10M`, `512K`, `1G` or `2000000` (bytes a second, K = 1024); nothing for text that is none.
std::optional<std::uint64_t> parse_rate(std::string_view text);

// The budget shared by every object of one run: after `bytes` more, waits until they fit the rate.
class Throttle {
public:
    explicit Throttle(std::uint64_t bytes_per_second = 0) : rate_(bytes_per_second) {}
    bool limited() const { return rate_ > 0; }
    void consume(std::uint64_t bytes);

private:
    std::uint64_t rate_;  // 0: no limit
    std::uint64_t bytes_ = 0;
    std::optional<std::chrono::steady_clock::time_point> started_;
};

// Hands the stream on to `next` in pieces of at most 64 KiB, each counted against `throttle`.
class ThrottledSink final : public ByteSink {
public:
    ThrottledSink(ByteSink& next, Throttle& throttle) : next_(next), throttle_(throttle) {}
    void write(const void* data, std::size_t size) override;
    void finish() override { next_.finish(); }

private:
    ByteSink& next_;
    Throttle& throttle_;
};

}  // namespace soniabk
