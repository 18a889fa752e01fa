// In-memory byte sinks and hex helpers for the codec tests.
#pragma once

#include "io/stream.hpp"

#include <string>

namespace soniabk::test {

// Collects everything written; remembers whether it was finished.
class StringSink final : public ByteSink {
public:
    void write(const void* data, std::size_t size) override { bytes.append(static_cast<const char*>(data), size); }
    void finish() override { finished = true; }

    std::string bytes;
    bool finished = false;
};

// Writes `bytes` in pieces of `piece` bytes (odd sizes exercise every buffering path), then finishes.
inline void feed(ByteSink& sink, const std::string& bytes, std::size_t piece = 7) {
    for (std::size_t at = 0; at < bytes.size(); at += piece) sink.write(bytes.data() + at, std::min(piece, bytes.size() - at));
    sink.finish();
}

inline std::string to_hex(const std::string& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
    }
    return out;
}

// Deterministic bytes that do not compress (a xorshift stream).
inline std::string noise(std::size_t size, std::uint64_t seed = 88172645463325252ull) {
    std::string out(size, '\0');
    for (auto& c : out) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        c = static_cast<char>(seed);
    }
    return out;
}

}  // namespace soniabk::test
