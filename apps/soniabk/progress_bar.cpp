#include "progress_bar.hpp"

#include "cli.hpp"
#include "output.hpp"
#include "platform/terminal.hpp"
#include "base/environment.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace soniabk::cli {

namespace {

constexpr auto redraw_interval = std::chrono::milliseconds(100);
constexpr int bar_width = 20;

std::string short_duration(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

// A terminal a person watches: stderr is a TTY that can move the cursor.
bool stderr_is_live_terminal() {
    return platform::is_terminal(2) && environment("TERM") != "dumb";
}

}  // namespace

std::string format_progress_line(std::string_view phase, std::uint64_t done, std::uint64_t total, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const std::string rate_text = rate > 0 ? fmt::format("  {}/s", human_bytes(static_cast<std::uint64_t>(rate))) : "";
    if (total == 0) {
        const std::string bytes = done > 0 ? "  " + human_bytes(done) : "";
        return fmt::format("{:<9}{}{}  {}", phase, bytes, rate_text, short_duration(seconds));
    }
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(fraction * bar_width);
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(bar_width - filled), '.');
    const std::string eta = rate > 0 && done < total
                                ? "  ETA " + short_duration(static_cast<double>(total - done) / rate)
                                : "";
    return fmt::format("{:<9}[{}] {} / {} {:3}%{}{}", phase, bar, human_bytes(done), human_bytes(total),
                       static_cast<int>(fraction * 100), rate_text, eta);
}

void TerminalProgress::begin(std::string_view phase, std::uint64_t total_bytes) {
    phase_ = phase;
    total_ = total_bytes;
    done_ = 0;
    started_ = std::chrono::steady_clock::now();
    active_ = true;
    draw();
}

void TerminalProgress::advance(std::uint64_t bytes_done) {
    done_ = bytes_done;
    if (active_ && std::chrono::steady_clock::now() - drawn_ >= redraw_interval) draw();
}

void TerminalProgress::end() {
    if (!active_) return;
    draw();
    std::fputs("\r\033[K", out_);  // leave the line clean for the result that follows
    std::fflush(out_);
    active_ = false;
}

void TerminalProgress::draw() {
    drawn_ = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(drawn_ - started_).count();
    std::fputs(("\r" + format_progress_line(phase_, done_, total_, seconds) + "\033[K").c_str(), out_);
    std::fflush(out_);
}

Progress& GlobalOptions::progress() const {
    if (progress_disabled || quiet || !stderr_is_live_terminal()) return no_progress();
    static TerminalProgress bar(stderr);
    return bar;
}

}  // namespace soniabk::cli
