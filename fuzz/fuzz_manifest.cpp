// Manifests (format 1 and 2, with their encoding fields) as read from a repository that may be damaged.
#include "fuzz_support.hpp"
#include "repo/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    soniabk::fuzz::refusing_only_with_errors([&] {
        const soniabk::Manifest m = soniabk::parse_manifest(soniabk::fuzz::as_text(data, size), "fuzz.manifest.json");
        // What was accepted must serialise and read back the same.
        const soniabk::Manifest again = soniabk::parse_manifest(m.to_json().dump(), "fuzz.manifest.json");
        if (again.to_json() != m.to_json()) __builtin_trap();
    });
    return 0;
}
