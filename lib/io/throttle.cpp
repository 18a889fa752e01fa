#include "io/throttle.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <thread>

namespace soniabk {

std::optional<std::uint64_t> parse_rate(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data() || value == 0) return std::nullopt;
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.remove_suffix(1);
    if (unit.empty()) return value;
    if (unit.size() != 1) return std::nullopt;
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
        case 'K': return value << 10;
        case 'M': return value << 20;
        case 'G': return value << 30;
        default: return std::nullopt;
    }
}

void Throttle::consume(std::uint64_t bytes) {
    if (rate_ == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (!started_) started_ = now;
    bytes_ += bytes;
    // The bytes so far may have taken bytes_/rate_ seconds since the first one; sleep off any lead.
    const auto due = *started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(bytes_) / static_cast<double>(rate_)));
    if (due > now) std::this_thread::sleep_until(due);
}

void ThrottledSink::write(const void* data, std::size_t size) {
    constexpr std::size_t piece = 64 * 1024;
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const std::size_t n = std::min(size, piece);
        throttle_.consume(n);
        next_.write(bytes, n);
        bytes += n;
        size -= n;
    }
}

}  // namespace soniabk
