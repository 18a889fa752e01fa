// soniabk schedule: the Task Scheduler, systemd or cron entries that run soniabk nightly, weekly, monthly.
#include "commands.hpp"
#include "base/error.hpp"
#include "platform/processes.hpp"
#include "commands/schedule.hpp"

#include <fmt/format.h>

#include <iostream>

namespace soniabk::cli {

namespace {

#ifdef _WIN32
constexpr bool on_windows = true;
#else
constexpr bool on_windows = false;
#endif

void print_schedule(const ScheduleResult& result) {
    if (result.installed) {
        for (const auto& f : result.files) fmt::print("{:<9} {}\n", f.status, f.path.string());
    } else {
        for (const auto& f : result.files) fmt::print("# ---- {} ----\n{}\n", f.path.string(), f.content);
        for (const auto& line : result.lines) fmt::print("{}\n", line);
    }
    if (!result.next_steps.empty()) {
        fmt::print("{}# then:\n", result.lines.empty() || result.installed ? "" : "\n");
        for (const auto& step : result.next_steps) fmt::print("#   {}\n", step);
    }
}

// The soniabk the scheduler should run: this one, except when printing for another platform.
std::filesystem::path default_binary(SchedulePlatform platform) {
#ifndef _WIN32
    if (platform == SchedulePlatform::windows) return "C:\\Program Files\\soniabk\\soniabk.exe";
#else
    (void)platform;
#endif
    const auto self = platform::executable_path();
    return self.empty() ? std::filesystem::path("soniabk") : self;
}

}  // namespace

void register_schedule(CLI::App& app, CommandTable& table, const ConfigSupport& config_support) {
    auto options = std::make_shared<ScheduleOptions>();
    auto platform_name = std::make_shared<std::string>();
    auto binary = std::make_shared<std::string>();
    auto dir = std::make_shared<std::string>();
    CLI::App* schedule = app.add_subcommand("schedule", "Print (or install) scheduler entries: nightly backup + prune, "
                                                        "weekly deep verify, monthly drill");
    schedule->add_option("--platform", *platform_name, "Which scheduler")
        ->required()
        ->check(CLI::IsMember({"windows", "systemd", "cron"}));
    schedule->add_option("--at", options->at, "Time of the nightly job (HH:MM); weekly +1h, monthly +2h")
        ->capture_default_str();
    schedule->add_flag("--install", options->install,
                      "Write the systemd units or /etc/cron.d/soniabk, or register the tasks (Windows); never replaces");
    schedule->add_option("--unit-dir", *dir, "Where --install writes (default /etc/systemd/system or /etc/cron.d)")
        ->type_name("DIR");
    auto replicate = std::make_shared<bool>(false);
    schedule->add_flag("--replicate", *replicate,
                       "Also keep 'soniabk replicate' running: a systemd service or a boot task, restarted when it stops");
    schedule->add_option("--binary", *binary, "The soniabk the scheduler runs (default: this one)")->type_name("FILE");
    table.add(schedule, [&app, &config_support, options, platform_name, binary, dir, replicate](const GlobalOptions& global) {
        ScheduleOptions run = *options;
        run.platform = *parse_schedule_platform(*platform_name);
        if (*replicate) run.replication = ReplicationService::continuous;
        run.binary = binary->empty() ? default_binary(run.platform) : std::filesystem::path(*binary);
        run.install_dir = !dir->empty() ? std::filesystem::path(*dir)
                          : run.platform == SchedulePlatform::cron ? std::filesystem::path("/etc/cron.d")
                                                                   : "/etc/systemd/system";
        // The scheduler does not share this shell's environment or directory: pin a non-system config file
        // (only for this machine's own scheduler: a path from here means nothing on another OS).
        const bool native = (run.platform == SchedulePlatform::windows) == on_windows;
        if (const CLI::Option* config = app.get_config_ptr(); native && config != nullptr && config->count() > 0) {
            const auto file = std::filesystem::absolute(config->as<std::string>());
            if (file != system_config_path()) run.global_args = {"--config", file.string()};
        }
        // --repo and --db given by flag or environment, absolute: the jobs would not see them (a config file's
        // values they read again from the file).
        const auto pin = [&](const char* flag, const std::filesystem::path& value) {
            if (!native || value.empty() || config_support.source_of(app, *app.get_option(flag)).kind == "file") return;
            run.global_args.insert(run.global_args.end(), {flag, std::filesystem::absolute(value).string()});
        };
        pin("--repo", global.repo);
        pin("--db", global.db);
        const ScheduleResult result = plan_schedule(run);
        for (const auto& warning : result.warnings) std::cerr << "soniabk: warning: " << warning << '\n';
        return Outcome{result.to_json(), [result] { print_schedule(result); }};
    });
}

}  // namespace soniabk::cli
