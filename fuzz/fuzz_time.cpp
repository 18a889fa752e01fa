// Durations and timestamps from the command line, the config file and manifests.
#include "base/clock.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = soniabk::fuzz::as_text(data, size);
    soniabk::fuzz::refusing_only_with_errors([&] {
        if (const auto d = soniabk::parse_duration(text)) {
            // Whatever is accepted prints as a duration that means the same.
            const auto again = soniabk::parse_duration(soniabk::format_duration(*d));
            if (!again || *again != *d) __builtin_trap();
        }
        if (const auto t = soniabk::parse_iso8601(text)) {
            const auto again = soniabk::parse_iso8601(soniabk::format_iso8601(*t));
            if (!again || *again != *t) __builtin_trap();
        }
    });
    return 0;
}
