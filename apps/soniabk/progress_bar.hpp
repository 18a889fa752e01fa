// The live progress line drawn on a terminal's stderr: phase, bytes, percent, rate, ETA.
#pragma once

#include "base/progress.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace soniabk::cli {

// "hash      [#####.....]  120.0 MiB / 480.0 MiB  25%  95.1 MiB/s  ETA 4s"; without a total, bytes and rate.
std::string format_progress_line(std::string_view phase, std::uint64_t done, std::uint64_t total, double seconds);

class TerminalProgress final : public Progress {
public:
    explicit TerminalProgress(std::FILE* out) : out_(out) {}
    void begin(std::string_view phase, std::uint64_t total_bytes) override;
    void advance(std::uint64_t bytes_done) override;
    void end() override;

private:
    void draw();

    std::FILE* out_;
    std::string phase_;
    std::uint64_t total_ = 0;
    std::uint64_t done_ = 0;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point drawn_;
    bool active_ = false;
};

}  // namespace soniabk::cli
