// soniabk status: recovery health at a glance (exit 1 on RPO violated, failed drill, or too little space).
#include "commands.hpp"
#include "output.hpp"
#include "commands/status.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

std::string age_text(Duration d) { return format_duration(std::chrono::floor<std::chrono::seconds>(d)); }

std::string last_run_text(const std::optional<LastRun>& run, TimePoint now) {
    if (!run) return "never";
    std::string text = fmt::format("{} at {} ({} ago)", run->ok ? "passed" : "FAILED",
                                   format_iso8601(run->at).substr(0, 19), age_text(now - run->at));
    if (run->rto_seconds) text += fmt::format(", RTO {:.1f}s", *run->rto_seconds);
    if (run->rto_target_seconds) text += fmt::format(" (target {:.0f}s)", *run->rto_target_seconds);
    return text;
}

void print_status(const StatusResult& s) {
    for (const auto& k : s.kinds) {
        fmt::print("{} {:<5} ", pass_mark(!k.rpo_violated), k.kind);
        if (k.newest_id) {
            fmt::print("newest {} ({} old, RPO {})\n", *k.newest_id, age_text(k.age), format_duration(s.rpo));
        } else {
            fmt::print("no complete backup (RPO {})\n", format_duration(s.rpo));
        }
        fmt::print("         {}, {}{}\n", count_of(k.backups, "backup"), human_bytes(k.total_bytes),
                   k.incomplete ? fmt::format(", {} incomplete", k.incomplete) : std::string());
    }
    fmt::print("last verify  {}\n", last_run_text(s.last_verify, s.now));
    fmt::print("last drill   {}\n", last_run_text(s.last_drill, s.now));
    for (const auto& o : s.offsite) {
        fmt::print("{} off-site {}: ", pass_mark(!o.rpo_violated), o.target);
        if (o.newest_id) {
            fmt::print("newest {} ({} old, RPO {})\n", *o.newest_id, age_text(o.lag), format_duration(s.rpo));
        } else {
            fmt::print("no backup copied yet\n");
        }
    }
    for (const auto& r : s.replication) {
        fmt::print("{} replication {}: lag {}, last commit shipped {}, WAL {}, replicate {}\n", pass_mark(!r.rpo_violated),
                   r.database, age_text(r.lag), r.last_commit ? format_iso8601(*r.last_commit) : std::string("none yet"),
                   human_bytes(r.wal_bytes), r.running ? "running" : "not running");
    }
    fmt::print("{} space  {}, next backup needs about {}\n", pass_mark(!s.space.short_of_space),
               s.space.free_bytes ? human_bytes(*s.space.free_bytes) + " free" : std::string("object storage"),
               human_bytes(s.space.required_bytes));
    if (s.prometheus_file) fmt::print("metrics written to {}\n", s.prometheus_file->string());
    if (s.leftover_temps > 0) {
        fmt::print("leftover temp files of stopped writers: {} ({}); 'soniabk prune --clean-incomplete' removes them\n",
                   s.leftover_temps, human_bytes(s.leftover_temp_bytes));
    }
    if (!s.replaced.empty()) {
        std::uint64_t bytes = 0;
        for (const auto& r : s.replaced) bytes += r.bytes;
        fmt::print("replaced databases kept by restore: {} ({}); 'soniabk restore --remove-replaced' removes them\n",
                   s.replaced.size(), human_bytes(bytes));
        for (const auto& r : s.replaced) fmt::print("    {}  {}\n", r.path.string(), human_bytes(r.bytes));
    }
    if (s.lock) {
        fmt::print("lock   held by {}{}\n", s.lock->holder.text,
                   s.lock->expires ? ", expires " + format_iso8601(*s.lock->expires) : std::string());
    }
    for (const auto& w : s.warnings) fmt::print("warning: {}\n", w);
    for (const auto& p : s.problems) fmt::print("problem: {}\n", p);
    fmt::print("{}\n", s.ok ? "healthy" : "UNHEALTHY");
}

}  // namespace

void register_status(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<StatusOptions>();
    auto prometheus = std::make_shared<std::string>();
    CLI::App* status = app.add_subcommand("status", "Recovery health: backup age vs RPO, last verify and drill, space");
    add_duration_option(*status, "--rpo", options->rpo, "Recovery point objective: the newest backup's maximum age");
    status->add_option("--prometheus", *prometheus, "Also write node_exporter textfile metrics to FILE")
        ->type_name("FILE");
    table.add(status, [=, &app](const GlobalOptions& global) {
        StatusOptions run = *options;
        run.repo = global.require_repo();
        if (!prometheus->empty()) run.prometheus = *prometheus;
        if (!global.db.empty()) run.db = global.db;
        run.copy_to = configured_copy_target(app);
        const StatusResult result = repository_status(run);
        return Outcome{result.to_json(), [result] { print_status(result); }, result.ok ? 0 : 1};
    });
}

}  // namespace soniabk::cli
