// S3's XML answers (listings, upload ids, errors): whatever a server or a proxy sends.
#include "fuzz_support.hpp"
#include "net/xml.hpp"

namespace {

// Reads every element and its text, as the S3 storage does with a listing.
std::size_t walk(const soniabk::XmlElement& element, int depth) {
    if (depth > 100) __builtin_trap();  // the parser bounds depth; a deeper tree is a finding
    std::size_t bytes = element.name.size() + element.text.size();
    for (const auto& child : element.children) bytes += walk(child, depth + 1);
    return bytes + element.child_text("Key").size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    soniabk::fuzz::refusing_only_with_errors([&] {
        const soniabk::XmlElement root = soniabk::parse_xml(soniabk::fuzz::as_text(data, size));
        if (walk(root, 0) > size * 4 + 64) __builtin_trap();  // decoding never grows text beyond 4 bytes a byte
    });
    return 0;
}
