#include "page_collection_text.hpp"

#include "output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace soniabk::cli {

void print_removed_backups(const std::vector<RemovedBackup>& removed, RunMode mode) {
    for (const auto& r : removed) {
        fmt::print("{} {}  {}  {}  ({})\n", mode == RunMode::dry_run ? "would remove" : "removed", r.backup_id,
                   format_iso8601(r.time).substr(0, 19), human_bytes(r.bytes), fmt::join(r.reasons, ", "));
    }
}

void print_page_collection(const std::optional<PageStoreCollection>& pages, RunMode mode) {
    if (!pages) return;
    const pages::PackCollection& p = pages->packs;
    const bool dry = mode == RunMode::dry_run;
    if (p.packs_removed + p.packs_rewritten + p.orphans_removed > 0) {
        fmt::print("page store: {} {}, {} {} into {} ({} freed)\n", dry ? "would remove" : "removed",
                   count_of(p.packs_removed + p.orphans_removed, "pack"), dry ? "would rewrite" : "rewrote",
                   count_of(p.packs_rewritten, "pack"), dry ? "new ones" : count_of(p.packs_written, "new pack"),
                   human_bytes(pages->freed_bytes()));
    }
    for (const std::string& name : p.damaged) {
        fmt::print("page store: pack {} left alone: unreadable or not what its index says (run verify --deep)\n", name);
    }
    for (const std::string& why : pages->skipped) fmt::print("page store: {}\n", why);
}

}  // namespace soniabk::cli
