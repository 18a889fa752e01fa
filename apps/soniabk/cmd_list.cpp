// soniabk list: the backups in the repository, newest first.
#include "commands.hpp"
#include "commands/list.hpp"
#include "commands/points.hpp"
#include "output.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_list(const ListResult& result) {
    if (result.backups.empty()) {
        fmt::print("no backups\n");
        return;
    }
    std::vector<std::vector<std::string>> rows = {{"ID", "KIND", "LABEL", "TIME (UTC)", "SIZE", "SOURCE", "PATH"}};
    for (const auto& e : result.backups) {
        const auto size = backup_size(e);
        std::string label = e.is_complete() ? e.label() : fmt::format("[{}]", to_string(e.status));
        std::string size_text = size ? human_bytes(*size) : "-";
        if (e.manifest && e.manifest->pages) size_text += " of " + human_bytes(e.manifest->content->size_bytes);
        rows.push_back({short_id(e.id()), e.kind, label, format_iso8601(e.time).substr(0, 19), size_text,
                        e.manifest ? e.manifest->source : "-", e.data_path.string()});
    }
    print_table(rows);
    if (result.sets.empty()) return;
    std::vector<std::vector<std::string>> sets = {{"SET", "TIME (UTC)", "DATABASE", "STATE", "STATUS"}};
    for (const auto& set : result.sets) {
        sets.push_back({set.set_id, format_iso8601(set.time).substr(0, 19), set.db ? set.db->id() : "-",
                        set.state ? set.state->id() : "-", set.complete() ? "complete" : "INCOMPLETE"});
    }
    fmt::print("\n");
    print_table(sets);
}

void print_points(const PointsResult& result) {
    if (result.lineages.empty()) {
        fmt::print("no replication lineages\n");
        return;
    }
    std::vector<std::vector<std::string>> rows = {
        {"LINEAGE", "DATABASE", "BASE", "FROM (UTC)", "TO (UTC)", "TRANSACTIONS", "SIZE", "STATE"}};
    for (const LineageSummary& s : result.lineages) {
        const auto& l = s.lineage;
        const auto first = l.first_point();
        const auto last = l.last_point();
        std::string state = !s.base_present ? "base gone" : !first ? "never started" : l.gap ? "gap: ends early" : "restorable";
        rows.push_back({l.record.id, l.record.database, short_id(l.record.base_backup_id),
                        first ? format_iso8601(*first) : "-", last ? format_iso8601(*last) : "-",
                        std::to_string(l.restorable_transactions()), human_bytes(s.stored_bytes), state});
    }
    print_table(rows);
}

}  // namespace

void register_list(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<ListOptions>();
    CLI::App* list = app.add_subcommand("list", "List backups, newest first");
    list->add_option("--kind", options->kind, "Only this kind")->check(CLI::IsMember({"db", "state"}));
    list->add_option("--label", options->label, "Only this label");
    auto points = std::make_shared<bool>(false);
    list->add_flag("--points", *points, "The restorable range of each replication lineage instead (restore --at)");
    table.add(list, [=](const GlobalOptions& global) {
        if (*points) {
            const PointsResult result = list_points(global.require_repo());
            return Outcome{result.to_json(), [result] { print_points(result); }};
        }
        ListOptions run = *options;
        run.repo = global.require_repo();
        const ListResult result = list_backups(run);
        return Outcome{result.to_json(), [result] { print_list(result); }};
    });
}

}  // namespace soniabk::cli
