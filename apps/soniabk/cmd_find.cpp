// soniabk find TEXT | --id ID: which backups hold the matching memories, and since when.
#include "commands.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "commands/find.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_find(const FindResult& r) {
    for (const auto& s : r.searched) fmt::print("backup {}  {} ({})\n", s.backup_id, count_of(s.matches, "match", "matches"), s.search);
    for (const auto& m : r.memories) {
        fmt::print("  memory {:<8} {}{}  first {}  last {}  ({})\n    {}\n", m.id, m.created_at,
                   m.archived_at.empty() ? "" : "  archived " + m.archived_at, m.first_backup, m.last_backup,
                   count_of(m.backups, "backup"), m.snippet);
    }
}

}  // namespace

void register_find(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<FindOptions>();
    auto args = std::make_shared<std::vector<std::string>>();
    auto all = std::make_shared<bool>(false);
    CLI::App* find = app.add_subcommand("find", "Which backups hold the memories matching a text or an id");
    find->add_option("ARGS", *args, "TEXT, then backup ids (or unique prefixes); with --id, only backup ids");
    find->add_option("--id", options->id, "The memory with this id instead of a text")->type_name("ID");
    find->add_flag("--all-backups", *all, "Search every complete database backup (default: the newest)");
    find->add_flag("--archived", options->archived, "Archived memories match too");
    add_key_file_option(*find, options->keys.key_file);
    table.add(find, [=](const GlobalOptions& global) {
        FindOptions run = *options;
        run.repo = global.require_repo();
        std::vector<std::string> rest = *args;
        if (!run.id && !rest.empty()) {
            run.text = rest.front();
            rest.erase(rest.begin());
        }
        if (*all && !rest.empty()) throw usage_error("give backup ids or --all-backups, not both");
        run.backups = rest;
        run.scope = *all ? FindScope::all_backups : rest.empty() ? FindScope::newest : FindScope::listed;
        run.keys = key_options(options->keys.key_file);
        run.progress = &global.progress();
        const FindResult result = find_memories(run);
        return Outcome{result.to_json(), [result] { print_find(result); }};
    });
}

}  // namespace soniabk::cli
