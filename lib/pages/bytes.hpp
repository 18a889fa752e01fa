// Big-endian integers in the page store's binary objects, and a bounds-checked reader for parsing them.
#pragma once

#include "base/error.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace soniabk::pages {

inline void put_be(std::string& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

class ByteReader {
public:
    ByteReader(std::string_view bytes, std::filesystem::path origin) : bytes_(bytes), origin_(std::move(origin)) {}

    std::uint64_t be(int bytes) {
        const std::string_view raw = take(static_cast<std::size_t>(bytes));
        std::uint64_t value = 0;
        for (const char c : raw) value = (value << 8) | static_cast<unsigned char>(c);
        return value;
    }
    std::string_view take(std::size_t size) {
        if (bytes_.size() - at_ < size) fail("truncated");
        const std::string_view part = bytes_.substr(at_, size);
        at_ += size;
        return part;
    }
    std::size_t remaining() const { return bytes_.size() - at_; }
    std::size_t position() const { return at_; }
    [[noreturn]] void fail(const std::string& why) const {
        throw runtime_error(ErrorCode::backup_damaged,
                            fmt::format("{}: damaged at byte {}: {}", origin_.string(), at_, why), origin_);
    }

private:
    std::string_view bytes_;
    std::filesystem::path origin_;
    std::size_t at_ = 0;
};

}  // namespace soniabk::pages
