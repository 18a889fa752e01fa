// soniabk stats: what the repository holds against what it stores.
#include "commands.hpp"
#include "commands/stats.hpp"
#include "key_options.hpp"
#include "output.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_stats(const StatsResult& result) {
    fmt::print("{}: {} logical, {} stored (dedup ratio {:.2f})\n", count_of(result.backups.size(), "backup"),
               human_bytes(result.logical_bytes), human_bytes(result.stored_bytes), result.dedup_ratio());
    if (result.pages) {
        const PageStoreStats& p = *result.pages;
        fmt::print("page store: {} ({}), index {}, unneeded {}\n", count_of(p.packs, "pack"), human_bytes(p.pack_bytes),
                   human_bytes(p.index_bytes), p.unneeded_bytes ? human_bytes(*p.unneeded_bytes) : "unknown");
        for (const std::string& why : p.skipped) fmt::print("page store: {}\n", why);
    }
    for (const BackupStats& b : result.backups) {
        fmt::print("{}  {}  {:<5}  {:>10} logical  {:>10} added\n", b.backup_id, format_iso8601(b.time).substr(0, 19),
                   b.format, human_bytes(b.logical_bytes), human_bytes(b.added_bytes));
    }
}

}  // namespace

void register_stats(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<StatsOptions>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* stats = app.add_subcommand("stats", "Show logical and stored bytes, the page store and what each backup added");
    add_key_file_option(*stats, *key_file);
    table.add(stats, [=](const GlobalOptions& global) {
        StatsOptions run = *options;
        run.repo = global.require_repo();
        run.keys = key_options(*key_file);
        const StatsResult result = repository_stats(run);
        return Outcome{result.to_json(), [result] { print_stats(result); }};
    });
}

}  // namespace soniabk::cli
