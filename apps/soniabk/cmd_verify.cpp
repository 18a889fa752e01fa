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
    auto key_file = std::make_shared<std::filesystem::path>();
    add_key_file_option(*verify, *key_file);
    table.add(verify, [=](const GlobalOptions& global) {
        VerifyOptions run = *options;
        run.repo = global.require_repo();
        run.depth = *deep ? VerifyDepth::deep : VerifyDepth::stored;
        if (*deep) run.keys = key_options(*key_file);
        if (!run.ids.empty() && (*latest || *all)) throw usage_error("give backup ids or --latest or --all, not both");
        run.selection = !run.ids.empty() ? VerifySelection::ids : *all ? VerifySelection::all : VerifySelection::latest;
        const VerifyResult result = verify_repository(run);
        return Outcome{result.to_json(), [result] { print_verify(result); }, result.ok ? 0 : 1};
    });
}

}  // namespace soniabk::cli
