// The entries to hand the system scheduler (Task Scheduler, systemd timers, cron) so soniabk runs on time.
#pragma once

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

enum class SchedulePlatform { windows, systemd, cron };

std::optional<SchedulePlatform> parse_schedule_platform(std::string_view text);
std::string_view to_string(SchedulePlatform platform);

// Whether the schedule also keeps `soniabk replicate` running: started at boot, restarted when it stops.
enum class ReplicationService { none, continuous };

// A job the scheduler runs: nightly backup + prune, weekly deep verify, monthly drill.
struct ScheduledJob {
    std::string name;                               // "nightly", "weekly", "monthly"
    std::string when;                               // human: "daily 02:00", "Sundays 03:00", ...
    std::vector<std::vector<std::string>> commands;  // soniabk argument lists, run in order, each after success
};

struct ScheduleOptions {
    SchedulePlatform platform = SchedulePlatform::systemd;
    std::string at = "02:00";             // HH:MM of the nightly job; weekly +1h, monthly +2h
    fs::path binary;                      // the soniabk the scheduler runs
    std::vector<std::string> global_args;  // e.g. {"--config", "/srv/soniabk.toml", "--repo", "/backups"}
    bool install = false;
    fs::path install_dir;                 // systemd: /etc/systemd/system; cron: /etc/cron.d
    ReplicationService replication = ReplicationService::none;
};

// A file the schedule consists of (systemd units, the cron.d file) and what --install did with it.
struct ScheduleFile {
    fs::path path;
    std::string content;
    std::string status = "planned";  // "planned", "written" or "unchanged"
};

struct ScheduleResult {
    SchedulePlatform platform = SchedulePlatform::systemd;
    std::string at;
    std::vector<ScheduledJob> jobs;
    std::vector<ScheduleFile> files;      // systemd units, or the cron.d file
    std::vector<std::string> lines;       // schtasks commands, or crontab lines for `crontab -e`
    std::vector<std::string> next_steps;  // commands the operator still runs
    std::vector<std::string> warnings;    // settings the jobs will not have (the scheduler has no shell)
    bool installed = false;

    Json to_json() const;
};

// Builds the entries; with `install`, writes the files, refusing (exit 3, nothing written) when one
// exists with other content: an existing scheduler entry is never replaced.
ScheduleResult plan_schedule(const ScheduleOptions& options);

}  // namespace soniabk
