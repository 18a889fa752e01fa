// The page store's binary formats as read from a repository that may be damaged: index objects, page map
// objects and stored blocks (zstd frames). The first input byte chooses the format.
#include "fuzz_support.hpp"
#include "pages/block_codec.hpp"
#include "pages/page_index.hpp"
#include "pages/page_map.hpp"

namespace {

using namespace soniabk::pages;

bool same_index(const PackIndex& a, const PackIndex& b) {
    if (a.kind != b.kind || a.pack.size_bytes != b.pack.size_bytes || a.pack.sha256 != b.pack.sha256 ||
        a.blocks.size() != b.blocks.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.blocks.size(); ++i) {
        const IndexedBlock& x = a.blocks[i];
        const IndexedBlock& y = b.blocks[i];
        if (x.offset != y.offset || x.stored_size != y.stored_size || x.pages.size() != y.pages.size()) return false;
        for (std::size_t p = 0; p < x.pages.size(); ++p) {
            if (x.pages[p].id != y.pages[p].id || x.pages[p].size != y.pages[p].size) return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input = soniabk::fuzz::as_text(data + 1, size - 1);
    soniabk::fuzz::refusing_only_with_errors([&] {
        switch (data[0] % 3) {
            case 0: {
                // What was accepted must serialise and read back the same.
                const PackIndex index = parse_pack_index(input, "fuzz", "fuzz.idx");
                if (!same_index(parse_pack_index(serialize_pack_index(index), "fuzz", "fuzz.idx"), index)) __builtin_trap();
                break;
            }
            case 1: {
                const MapObject map = parse_map_object(input, "fuzz.pagemap");
                if (map.delta) break;
                PageMap whole;
                whole.page_size = map.page_size;
                for (const auto& entry : map.entries) whole.pages.push_back(entry.second);
                const MapObject again = parse_map_object(serialize_page_map(whole, nullptr), "fuzz.pagemap");
                if (again.entries != map.entries || again.page_size != map.page_size) __builtin_trap();
                break;
            }
            default: {
                BlockDecoder decoder(nullptr);
                const std::vector<unsigned char> plain = decoder.decode(input, "fuzz.pack");
                if (plain.size() > max_block_plain_bytes) __builtin_trap();
                break;
            }
        }
    });
    return 0;
}
