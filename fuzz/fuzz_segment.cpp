// Replication segments as restore reads them from a repository it may not trust: a plain segment either parses
// into transactions whose re-encoding is the very same bytes, or is refused with a soniabk error.
#include "fuzz_support.hpp"
#include "replica/segment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    soniabk::fuzz::refusing_only_with_errors([&] {
        const std::string_view plain = soniabk::fuzz::as_text(data, size);
        const soniabk::replica::Segment segment = soniabk::replica::parse_segment(plain, "fuzz.seg");
        if (soniabk::replica::serialize_segment(segment) != plain) __builtin_trap();
    });
    return 0;
}
