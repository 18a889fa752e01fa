// Gateway state snapshots through the streaming validator, fed in pieces whose sizes the input chooses.
#include "fuzz_support.hpp"
#include "sonia/state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0] % 64;  // the first byte sets how the stream is split
    soniabk::fuzz::refusing_only_with_errors([&] {
        soniabk::StateValidator validator("fuzz.json", soniabk::DlqEntries::collect);
        for (std::size_t at = 1; at < size; at += piece) {
            validator.feed(reinterpret_cast<const char*>(data + at), std::min(piece, size - at));
        }
        validator.finish();
    });
    return 0;
}
