// soniabk drill: rehearse a recovery in a scratch directory and say whether it meets the RTO and RPO.
#include "commands.hpp"
#include "commands/drill.hpp"
#include "base/error.hpp"
#include "key_options.hpp"
#include "output.hpp"
#include "platform/local_time.hpp"

#include <fmt/format.h>

#include <cmath>

namespace soniabk::cli {

namespace {

void print_drill(const DrillResult& r) {
    fmt::print("drill {} of {}\n", r.drill_id, r.backup_id.empty() ? "(no backup)" : r.backup_id);
    if (r.point) fmt::print("point: {} of lineage {}\n", (*r.point)["committed_at"].get<std::string>(),
                            (*r.point)["lineage_id"].get<std::string>());
    for (const auto& s : r.steps) {
        const std::string mark = s.skipped ? std::string(s.passed ? "skip" : "----") : pass_mark(s.passed);
        fmt::print("  {:<4} {:<17} {:>7.3f}s  {}\n", mark, s.step, s.duration_seconds, s.detail);
    }
    const auto as_duration = [](double seconds) { return format_duration(Duration(static_cast<std::int64_t>(seconds * 1000))); };
    const std::string rpo = r.rpo_actual_seconds ? as_duration(std::floor(*r.rpo_actual_seconds)) : std::string("-");
    const char* verdict = r.passed ? "PASSED" : r.status == "completed" ? "FAILED" : "FAILED (a step could not run)";
    fmt::print("{}: RTO {:.2f}s of {}, RPO {} of {}\n", verdict,
               r.rto_actual_seconds, as_duration(r.rto_target_seconds), rpo, as_duration(r.rpo_target_seconds));
    if (r.scratch_kept) fmt::print("scratch kept in {}\n", r.scratch_dir.string());
    if (r.incident_path) fmt::print("incident bundle: {}\n", r.incident_path->string());
    if (!r.incident_error.empty()) fmt::print("incident bundle NOT written: {}\n", r.incident_error);
    if (!r.record_error.empty()) fmt::print("drill NOT recorded (status will not see it): {}\n", r.record_error);
}

}  // namespace

void register_drill(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<DrillOptions>();
    auto latest = std::make_shared<bool>(false);
    auto search = std::make_shared<std::string>();
    CLI::App* drill = app.add_subcommand("drill", "Rehearse a restore in a scratch directory (for CI)");
    drill->add_option("ID", options->id, "Backup id or unique prefix (default: the newest)");
    auto* latest_flag = drill->add_flag("--latest", *latest, "The newest complete database backup");
    auto at = std::make_shared<std::string>();
    drill->add_option("--at", *at,
                      "The state at TIME, as restore --at gives it: RFC 3339 (2026-11-26T01:30:00+01:00, ...Z) or "
                      "local time (2026-11-26 01:30[:00])")
        ->type_name("TIME")
        ->excludes(latest_flag);
    add_duration_option(*drill, "--rpo", options->rpo, "Recovery-point objective: maximum age of the newest backup");
    add_duration_option(*drill, "--rto", options->rto, "Recovery-time objective the drill must finish within");
    auto* search_option = drill->add_option("--search", *search, "Search for TEXT instead of sampled memories");
    drill->add_option("--expect-min", options->expect_min, "With --search: the fewest memories that must match")
        ->needs(search_option)
        ->check(count_check())
        ->capture_default_str();
    auto probe = std::make_shared<bool>(false);
    drill->add_flag("--recover-probe", *probe,
                    "Also hard-delete a memory from the scratch copy and recover it from the backup");
    drill->add_option("--restart-cmd", options->restart_cmd, "Shell command that restarts the service on the copy");
    drill->add_option("--health-url", options->health_urls, "Poll until HTTP 200 after the restart (repeatable)");
    add_duration_option(*drill, "--health-timeout", options->health_timeout, "How long to poll --health-url");
    drill->add_option("--incident-dir", options->incident_dir, "Where failed drills leave a bundle (default <repo>/incidents)");
    drill->add_flag("--keep", options->keep, "Keep the scratch directory");
    auto key_file = std::make_shared<std::filesystem::path>();
    add_key_file_option(*drill, *key_file);
    table.add(drill, [=](const GlobalOptions& global) {
        DrillOptions run = *options;
        run.trace = &global.trace();
        run.progress = &global.progress();
        run.keys = key_options(*key_file);
        run.repo = global.require_repo();
        if (!run.id.empty() && (*latest || !at->empty())) throw usage_error("give a backup id or --latest or --at, not two of them");
        if (!at->empty()) run.at = platform::parse_user_time(*at, "--at");
        if (!search->empty()) run.search = *search;
        run.recover_probe = *probe ? RecoverProbe::run : RecoverProbe::off;
        const DrillResult result = run_drill(run);
        if (result.error) std::cerr << "soniabk: " << result.error->message << '\n';
        return Outcome{result.to_json(), [result] { print_drill(result); }, result.exit_code()};
    });
}

}  // namespace soniabk::cli
