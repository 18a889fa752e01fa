// soniabk copy: backups into a second repository (another disk, a network share), only what it lacks.
#include "commands.hpp"
#include "base/error.hpp"
#include "commands/copy.hpp"
#include "io/throttle.hpp"
#include "output.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_copy(const CopyResult& result) {
    for (const auto& id : result.copied) fmt::print("copied  {}\n", id);
    for (const auto& id : result.skipped) fmt::print("present {}\n", id);
    fmt::print("{} -> {}: {} copied, {} already there; {} in {} ({} found from an earlier run) in {:.2f}s\n",
               result.from.string(), result.to.string(), count_of(result.copied.size(), "backup"), result.skipped.size(),
               human_bytes(result.bytes_copied), count_of(result.objects_copied, "object"), result.objects_present,
               result.duration_seconds);
}

}  // namespace

std::optional<std::filesystem::path> configured_copy_target(const CLI::App& root) {
    const CLI::Option* to = root.get_subcommand("copy")->get_option_no_throw("--to");
    if (to == nullptr || to->empty()) return std::nullopt;
    return std::filesystem::path(to->as<std::string>());
}

void register_copy(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<CopyOptions>();
    auto latest = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    auto to = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    auto bwlimit = std::make_shared<std::string>();
    CLI::App* copy = app.add_subcommand("copy", "Copy backups into another repository (default: the newest of each kind)");
    copy->add_option("ID", options->ids, "Backup ids or unique prefixes");
    copy->add_option("--to", *to, "The destination repository (made by 'soniabk init', same format and encryption)")
        ->type_name("REPO");
    copy->add_option("--from", *from, "The source repository (default: --repo)")->type_name("REPO");
    auto* latest_flag = copy->add_flag("--latest", *latest, "The newest complete backup of each kind");
    copy->add_flag("--all", *all, "Every complete backup")->excludes(latest_flag);
    copy->add_option("--bwlimit", *bwlimit, "Write at most RATE bytes a second (10M, 512K, 1G)")->type_name("RATE");
    add_duration_option(*copy, "--lock-wait", options->lock_wait, "How long to wait for the destination's lock");
    table.add(copy, [=](const GlobalOptions& global) {
        CopyOptions run = *options;
        if (to->empty()) throw usage_error("copy needs --to REPO (or 'to' in the config file's [copy] table)");
        run.to = *to;
        run.from = from->empty() ? global.require_repo() : std::filesystem::path(*from);
        if (!bwlimit->empty()) {
            const auto rate = parse_rate(*bwlimit);
            if (!rate) throw usage_error(fmt::format("--bwlimit '{}' is not a rate (bytes a second: 10M, 512K, 1G)", *bwlimit));
            run.bwlimit = *rate;
        }
        if (!run.ids.empty() && (*latest || *all)) throw usage_error("give backup ids or --latest or --all, not both");
        run.selection = !run.ids.empty() ? CopySelection::ids : *all ? CopySelection::all : CopySelection::latest;
        run.progress = &global.progress();
        run.trace = &global.trace();
        const CopyResult result = copy_backups(run);
        return Outcome{result.to_json(), [result] { print_copy(result); }};
    });
}

}  // namespace soniabk::cli
