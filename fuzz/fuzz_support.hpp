// What every fuzz target shares: soniabk::Error is the one acceptable way to refuse an input; anything
// else escaping (another exception, a crash, a sanitizer report) is a finding.
#pragma once

#include "base/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace soniabk::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

template <class Body>
void refusing_only_with_errors(Body&& body) {
    try {
        body();
    } catch (const soniabk::Error&) {
        // A clear refusal: what soniabk promises for bad input.
    }
}

}  // namespace soniabk::fuzz
