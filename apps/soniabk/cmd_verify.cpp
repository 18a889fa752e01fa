// soniabk verify: check stored backups against their manifests (and, with --deep, their content).
#include "commands.hpp"
#include "base/error.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "commands/verify.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

void print_verify(const VerifyResult& result) {
    for (const auto& b : result.backups) {
        fmt::print("{} {}  {}\n", pass_mark(b.ok), b.backup_id, b.path.string());
        for (const auto& c : b.checks) fmt::print("    {} {:<15} {}\n", pass_mark(c.ok, 4), c.name, c.detail);
    }
    for (const auto& c : result.checks) fmt::print("{} {}: {}\n", pass_mark(c.ok), c.name, c.detail);
    if (!result.subset.is_null()) {
        const Json& s = result.subset;
        fmt::print("subset {}/{}: {} read in full, {} of {} read ({})\n", s["n"].get<int>(), s["m"].get<int>(),
                   count_of(s["backups_read"].get<std::size_t>(), "file backup"), count_of(s["packs_read"].get<std::size_t>(), "pack"),
                   s["packs_total"].get<std::uint64_t>(), human_bytes(s["bytes_read"].get<std::uint64_t>()));
    }
    fmt::print("{}\n", result.ok ? paint("all checks passed", Colour::green) : paint("VERIFICATION FAILED", Colour::red));
}

}  // namespace

void register_verify(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<VerifyOptions>();
    auto latest = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    CLI::App* verify = app.add_subcommand("verify", "Verify backups (default: the newest of each kind)");
    verify->add_option("ID", options->ids, "Backup ids or unique prefixes");
    auto* latest_flag = verify->add_flag("--latest", *latest, "The newest complete backup of each kind");
    verify->add_flag("--all", *all, "Every backup in the repository")->excludes(latest_flag);
    auto deep = std::make_shared<bool>(false);
    verify->add_flag("--deep", *deep,
                     "Also check content: decode (with the key, when encrypted), then integrity_check; state: JSON structure");
    verify->add_option("--kind", options->kind, "Only this kind")->check(CLI::IsMember({"db", "state"}));
    add_duration_option(*verify, "--max-age", options->max_age, "Fail when the newest backup is older (RPO)");
    verify->add_option("--read-data-subset", options->read_data_subset,
                       "Every backup's structure, and one of M parts of the stored data read in full (N/M, or auto/M: "
                       "a different part each day)")
        ->type_name("N/M");
    auto key_file = std::make_shared<std::filesystem::path>();
    add_key_file_option(*verify, *key_file);
    table.add(verify, [=](const GlobalOptions& global) {
        VerifyOptions run = *options;
        run.repo = global.require_repo();
        run.progress = &global.progress();
        run.trace = &global.trace();
        run.depth = *deep ? VerifyDepth::deep : VerifyDepth::stored;
        if (*deep || !run.read_data_subset.empty()) run.keys = key_options(*key_file);
        if (!run.ids.empty() && (*latest || *all)) throw usage_error("give backup ids or --latest or --all, not both");
        if (!run.read_data_subset.empty() && (!run.ids.empty() || *latest || *all || *deep)) {
            throw usage_error("--read-data-subset chooses what it reads: give no ids, --latest, --all or --deep with it");
        }
        run.selection = !run.ids.empty() ? VerifySelection::ids : *all ? VerifySelection::all : VerifySelection::latest;
        const VerifyResult result = verify_repository(run);
        return Outcome{result.to_json(), [result] { print_verify(result); }, result.ok ? 0 : 1};
    });
}

}  // namespace soniabk::cli
