#include "pages/page_image.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace soniabk::pages {

void PageImage::read(unsigned char* out, std::size_t amount, std::uint64_t offset) {
    while (amount > 0) {
        const std::uint64_t number = offset / map_.page_size;  // from 0
        const auto within = static_cast<std::size_t>(offset % map_.page_size);
        const std::span<const unsigned char> page = fetcher_.page(map_.pages.at(number), number + 1, ref_);
        if (page.size() != map_.page_size) {
            const fs::path where = fetcher_.storage().location(ref_.key);
            throw runtime_error(ErrorCode::backup_damaged,
                                fmt::format("{}: page {} is {} bytes, the map's pages are {}", where.string(), number + 1,
                                            page.size(), map_.page_size),
                                where);
        }
        const std::size_t n = std::min(amount, page.size() - within);
        std::memcpy(out, page.data() + within, n);
        out += n;
        offset += n;
        amount -= n;
    }
}

PageStoreReader::PageStoreReader(const storage::Storage& storage, std::optional<PageStoreKeys> keys)
    : storage_(storage),
      keys_(std::move(keys)),
      index_(PageIndex::load(storage, id_kind_of(keys_ ? &*keys_ : nullptr))),
      fetcher_(storage, index_, keys_ ? &*keys_ : nullptr) {}

std::unique_ptr<PageImage> PageStoreReader::image(const MapRef& map) {
    return std::make_unique<PageImage>(fetcher_, map, load_page_map(storage_, map, keys_ ? &*keys_ : nullptr));
}

}  // namespace soniabk::pages
