// Page-store backups read in place by SQLite: a backup's map loaded, its pages fetched and checked against their
// ids as SQLite asks for them, so a query reads the pages it touches instead of the whole database.
#pragma once

#include "pages/page_fetcher.hpp"
#include "pages/page_keys.hpp"
#include "pages/page_map.hpp"
#include "sqlite/image_vfs.hpp"

#include <memory>
#include <optional>

namespace soniabk::pages {

class PageImage : public DatabaseImage {
public:
    PageImage(PageFetcher& fetcher, MapRef ref, PageMap map) : fetcher_(fetcher), ref_(std::move(ref)), map_(std::move(map)) {}
    std::uint64_t size() const override { return std::uint64_t{map_.page_size} * map_.pages.size(); }
    void read(unsigned char* out, std::size_t amount, std::uint64_t offset) override;

private:
    PageFetcher& fetcher_;
    MapRef ref_;
    PageMap map_;
};

// One page store opened for reading backups in place: its index loaded once, decoded blocks shared by the
// images it makes (the pages of a month of nightly backups are mostly the same pages).
class PageStoreReader {
public:
    // `keys`: the store's keys when it is encrypted.
    PageStoreReader(const storage::Storage& storage, std::optional<PageStoreKeys> keys);
    PageStoreReader(const PageStoreReader&) = delete;
    PageStoreReader& operator=(const PageStoreReader&) = delete;

    // The backup whose map is `map`, the map chain read and checked now; the reader must outlive the image.
    std::unique_ptr<PageImage> image(const MapRef& map);
    std::uint64_t blocks_read() const { return fetcher_.blocks_read(); }

private:
    const storage::Storage& storage_;
    std::optional<PageStoreKeys> keys_;
    PageIndex index_;
    PageFetcher fetcher_;
};

}  // namespace soniabk::pages
