// Every page of a live database exactly as one read transaction sees it (sqlite_dbpage), WAL included.
#pragma once

#include "base/clock.hpp"
#include "sqlite/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

// Receives page `number` (from 1, in order) of the snapshot; `data` is valid during the call only.
using PageVisitor = std::function<void(std::uint32_t number, const unsigned char* data, std::size_t size)>;

struct PageSnapshot {
    DatabaseInfo info;  // read in the same transaction as the pages
    CheckRecord check;  // quick_check / integrity_check of that same snapshot
};

// Opens `source` with a read transaction, describes it, hands every page to `visit`, runs `check`, all
// inside that one transaction: exactly the state committed when it began. Page 1 is handed over as a
// rollback-journal database's (file format bytes 18 and 19 set to 1), so the pages make a self-contained file.
PageSnapshot read_snapshot_pages(const fs::path& source, Duration busy_timeout, CheckMode check,
                                 const PageVisitor& visit);

}  // namespace soniabk
