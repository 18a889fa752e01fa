// soniabk forget: delete named backups on purpose.
#include "commands.hpp"
#include "commands/forget.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "page_collection_text.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_forget(const ForgetResult& result) {
    const char* verb = result.dry_run ? "would remove" : "removed";
    print_removed_backups(result.removed, result.dry_run ? RunMode::dry_run : RunMode::apply);
    print_page_collection(result.pages, result.dry_run ? RunMode::dry_run : RunMode::apply);
    fmt::print("{} {} ({})\n", verb, count_of(result.removed.size(), "backup"), human_bytes(result.freed_bytes));
}

}  // namespace

void register_forget(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<ForgetOptions>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* forget = app.add_subcommand("forget", "Delete the named backups");
    forget->add_option("ID", options->ids, "Backup ids, data file names or unique prefixes")->required();
    forget->add_flag("--force", options->force, "Also delete the newest backup that passes verification");
    forget->add_flag("--dry-run", options->dry_run, "Show what would go and delete nothing");
    add_duration_option(*forget, "--lock-wait", options->lock_wait, "How long to wait for the repository lock");
    add_key_file_option(*forget, *key_file);
    table.add(forget, [=](const GlobalOptions& global) {
        ForgetOptions run = *options;
        run.repo = global.require_repo();
        run.keys = key_options(*key_file);
        run.progress = &global.progress();
        const ForgetResult result = forget_backups(run);
        return Outcome{result.to_json(), [result] { print_forget(result); }};
    });
}

}  // namespace soniabk::cli
