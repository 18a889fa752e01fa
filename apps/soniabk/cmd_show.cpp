// soniabk show ID: one backup's manifest, readable (nested sections indented) or as JSON.
#include "commands.hpp"
#include "commands/show.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

std::string scalar_text(const Json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

void print_fields(const Json& object, int depth) {
    for (const auto& [key, value] : object.items()) {
        if (value.is_object()) {
            fmt::print("{:{}}{}\n", "", depth * 2, key);
            print_fields(value, depth + 1);
        } else {
            fmt::print("{:{}}{:<22} {}\n", "", depth * 2, key, scalar_text(value));
        }
    }
}

void print_show(const ShowResult& result) {
    const BackupEntry& e = result.backup;
    fmt::print("backup {} ({}, {})\n", e.id(), e.kind, to_string(e.status));
    fmt::print("  {:<22} {}\n", "path", e.data_path.string());
    fmt::print("  {:<22} {}\n", "manifest_path", e.manifest_path.string());
    if (!e.is_complete()) fmt::print("  {:<22} {}\n", "problem", e.problem);
    if (e.manifest) print_fields(e.manifest->to_json(), 1);
}

}  // namespace

void register_show(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<ShowOptions>();
    CLI::App* show = app.add_subcommand("show", "Show everything one backup's manifest says");
    show->add_option("ID", options->id, "Backup id, file name, or a unique prefix of either")->required();
    table.add(show, [=](const GlobalOptions& global) {
        ShowOptions run = *options;
        run.repo = global.require_repo();
        const ShowResult result = show_backup(run);
        return Outcome{result.to_json(), [result] { print_show(result); }};
    });
}

}  // namespace soniabk::cli
