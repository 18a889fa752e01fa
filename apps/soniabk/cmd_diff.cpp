// soniabk diff A B: the memories added, removed, archived, un-archived and changed between two backups (or live).
#include "commands.hpp"
#include "key_options.hpp"
#include "commands/diff.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_diff(const DiffResult& r) {
    fmt::print("{} -> {}\n", r.a, r.b);
    for (const auto& [kind, n] : r.counts) fmt::print("  {:<11} {}\n", kind, n);
    for (const DiffedMemory& m : r.memories) {
        fmt::print("  {:<8} {:<10} {}  {}\n", m.id, m.change, m.created_at, m.snippet);
    }
    if (r.truncated) fmt::print("  ... more (raise --limit)\n");
}

}  // namespace

void register_diff(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<DiffOptions>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* diff = app.add_subcommand("diff", "How the memories of two backups (or a backup and live) differ");
    diff->add_option("A", options->a, "The older side: a backup id (or unique prefix), or live")->required();
    diff->add_option("B", options->b, "The newer side: a backup id (or unique prefix), or live")->required();
    diff->add_option("--limit", options->limit, "List at most this many memories (the counts are always whole)")
        ->capture_default_str();
    add_key_file_option(*diff, *key_file);
    table.add(diff, [=](const GlobalOptions& global) {
        DiffOptions run = *options;
        run.repo = global.repo;
        run.db = global.db;
        run.keys = key_options(*key_file);
        run.progress = &global.progress();
        const DiffResult result = diff_memories(run);
        return Outcome{result.to_json(), [result] { print_diff(result); }};
    });
}

}  // namespace soniabk::cli
