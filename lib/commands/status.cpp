#include "commands/status.hpp"

#include "repo/deletion.hpp"

#include "repo/journal.hpp"
#include "commands/last_runs.hpp"
#include "commands/list.hpp"
#include "commands/metrics.hpp"
#include "commands/replaced.hpp"
#include "platform/files.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

namespace soniabk {

namespace {

Json last_run_json(const std::optional<LastRun>& run, const char* ok_word, const char* failed_word) {
    if (!run) return {{"result", "never"}};
    Json j = {{"result", run->ok ? ok_word : failed_word}, {"timestamp", format_iso8601(run->at)}};
    if (run->rto_seconds) j["rto_seconds"] = *run->rto_seconds;
    if (run->rto_target_seconds) j["rto_target_seconds"] = *run->rto_target_seconds;
    j["source"] = run->source;
    j["detail"] = run->detail;
    return j;
}

std::vector<KindStatus> kind_statuses(const std::vector<BackupEntry>& entries, TimePoint now, Duration rpo) {
    // The memory store is what SONIA cannot lose: always reported; other kinds once they have backups.
    std::vector<KindStatus> kinds(1);
    kinds.front().kind = "db";
    auto status_for = [&](const std::string& kind) -> KindStatus& {
        for (auto& k : kinds) {
            if (k.kind == kind) return k;
        }
        kinds.emplace_back().kind = kind;
        return kinds.back();
    };
    for (const BackupEntry& e : entries) {  // newest first
        KindStatus& k = status_for(e.kind);
        if (!e.is_complete()) {
            ++k.incomplete;
            continue;
        }
        ++k.backups;
        k.total_bytes += backup_size(e).value_or(0);  // page-store backups: what each one stored
        if (k.newest_id) continue;
        k.newest_id = e.id();
        k.newest_at = e.time;
        k.newest_bytes = backup_size(e).value_or(0);
        k.age = now - e.time;
        k.rpo_violated = k.age > rpo;
    }
    return kinds;
}

SpaceStatus space_status(const Repository& repo, const std::vector<KindStatus>& kinds) {
    SpaceStatus space;
    if (repo.storage().has(storage::Capability::local_paths)) space.free_bytes = platform::free_space(repo.root());
    for (const auto& k : kinds) space.next_backup_bytes += k.newest_bytes;
    space.required_bytes =
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(space.next_backup_bytes) * next_backup_margin));
    space.short_of_space = space.free_bytes && *space.free_bytes < space.required_bytes;
    return space;
}

std::string age_text(Duration d) { return format_duration(std::chrono::floor<std::chrono::seconds>(d)); }

std::vector<std::string> problems_of(const StatusResult& s) {
    std::vector<std::string> problems;
    for (const auto& k : s.kinds) {
        if (!k.rpo_violated) continue;
        problems.push_back(k.newest_id ? fmt::format("{}: newest backup {} is {} old, RPO {}", k.kind, *k.newest_id,
                                                     age_text(k.age), format_duration(s.rpo))
                                       : fmt::format("{}: no complete backup (RPO {})", k.kind, format_duration(s.rpo)));
    }
    if (s.last_verify && !s.last_verify->ok) {  // until a later verify passes
        problems.push_back(fmt::format("last verify failed at {}", format_iso8601(s.last_verify->at)));
    }
    if (s.last_drill && !s.last_drill->ok) {
        problems.push_back(fmt::format("last drill failed at {}", format_iso8601(s.last_drill->at)));
    }
    for (const auto& o : s.offsite) {
        if (!o.rpo_violated) continue;
        problems.push_back(o.newest_id ? fmt::format("off-site {}: newest backup copied, {}, is {} old, RPO {}", o.target,
                                                     *o.newest_id, age_text(o.lag), format_duration(s.rpo))
                                       : fmt::format("off-site {}: no backup copied yet (RPO {})", o.target,
                                                     format_duration(s.rpo)));
    }
    for (const auto& r : s.replication) {
        if (!r.rpo_violated) continue;
        problems.push_back(fmt::format("replication of {}: transactions may have waited {} to ship{}, RPO {}", r.database,
                                       age_text(r.lag), r.running ? "" : " (replicate is not running)",
                                       format_duration(s.rpo)));
    }
    if (s.space.short_of_space) {
        problems.push_back(fmt::format("{} bytes free, the next backup needs about {} ({}x the newest)",
                                       *s.space.free_bytes, s.space.required_bytes, next_backup_margin));
    }
    return problems;
}

}  // namespace

Json KindStatus::to_json() const {
    Json newest = nullptr;
    if (newest_id) {
        newest = {{"backup_id", *newest_id},
                  {"timestamp", format_iso8601(newest_at)},
                  {"age_seconds", to_seconds(age)},
                  {"size_bytes", newest_bytes}};
    }
    return {{"kind", kind},       {"newest", newest},         {"rpo_violated", rpo_violated},
            {"backups", backups}, {"incomplete", incomplete}, {"total_bytes", total_bytes}};
}

namespace {

Json replaced_json(const std::optional<fs::path>& db, const std::vector<ReplacedDatabase>& replaced) {
    if (!db) return nullptr;
    Json list = Json::array();
    std::uint64_t bytes = 0;
    for (const auto& r : replaced) {
        list.push_back(replaced_to_json(r));
        bytes += r.bytes;
    }
    return {{"db", db->string()}, {"count", replaced.size()}, {"bytes", bytes}, {"databases", list}};
}

Json replication_json(const std::vector<ReplicationStatus>& replication) {
    Json list = Json::array();
    for (const auto& r : replication) list.push_back(r.to_json());
    return list;
}

Json offsite_json(const std::vector<OffsiteStatus>& offsite) {
    Json list = Json::array();
    for (const auto& o : offsite) list.push_back(o.to_json());
    return list;
}

}  // namespace

Json StatusResult::to_json() const {
    Json kind_list = Json::array();
    for (const auto& k : kinds) kind_list.push_back(k.to_json());
    return {{"ok", ok},
            {"timestamp", format_iso8601(now)},
            {"rpo_seconds", to_seconds(rpo)},
            {"kinds", kind_list},
            {"last_verify", last_run_json(last_verify, "passed", "failed")},
            {"last_drill", last_run_json(last_drill, "passed", "failed")},
            {"offsite", offsite_json(offsite)},
            {"replication", replication_json(replication)},
            {"space",
             {{"free_bytes", space.free_bytes ? Json(*space.free_bytes) : Json(nullptr)},
              {"next_backup_bytes", space.next_backup_bytes},
              {"margin", next_backup_margin},
              {"required_bytes", space.required_bytes},
              {"short", space.short_of_space}}},
            {"leftover_temps", {{"count", leftover_temps}, {"bytes", leftover_temp_bytes}}},
            {"replaced_databases", replaced_json(db, replaced)},
            {"lock", lock ? lock->to_json() : Json(nullptr)},
            {"problems", problems},
            {"warnings", warnings},
            {"prometheus_file", prometheus_file ? Json(prometheus_file->string()) : Json(nullptr)}};
}

StatusResult repository_status(const StatusOptions& options) {
    const Repository repo = Repository::open(options.repo);
    StatusResult s;
    s.now = options.clock->now();
    s.rpo = options.rpo;
    // 1. Backups per kind, from the manifests alone: status must stay instant on thousands of backups.
    const std::vector<BackupEntry> entries = repo.scan();
    s.kinds = kind_statuses(entries, s.now, s.rpo);
    // 2. What verify and drills last found, from the journal they append to: a backup found bad stays a
    //    problem until a run as thorough passes it, or it is gone.
    std::set<std::string> existing_ids;
    for (const BackupEntry& entry : entries) existing_ids.insert(entry.id());
    const std::vector<JournalRecord> journal = read_journal(repo.storage());
    s.last_verify = last_verify(journal, existing_ids);
    s.last_drill = last_drill(journal, repo.storage());
    s.offsite = offsite_statuses(journal, options.copy_to, s.now, s.rpo);
    // 2b. Replication: per database, its newest lineage's last shipped commit and replicate's heartbeat.
    s.replication = replication_statuses(repo.storage(), std::vector<std::string>(existing_ids.begin(), existing_ids.end()),
                                         s.now, s.rpo);
    // 3. Room for the next backup on the repository's volume.
    s.space = space_status(repo, s.kinds);
    // 4. Temps left by writers that were killed: space `prune --clean-incomplete` gives back.
    for (const RemovedFile& temp : stale_temp_files(repo, s.now, std::chrono::hours(24))) {
        ++s.leftover_temps;
        s.leftover_temp_bytes += temp.bytes;
    }
    // 5. Old databases restore kept beside the target: space only the operator can decide to give back.
    if (options.db) {
        s.db = options.db;
        s.replaced = find_replaced(*options.db);
    }
    // 6. The writer lock: a stale one blocks the next writer until it expires or `unlock` removes it.
    s.lock = held_lock(repo, s.now);
    if (s.lock && s.lock->stale) {
        s.warnings.push_back(fmt::format("stale lock {} held by {} ({}): 'soniabk unlock' removes it", s.lock->path.string(),
                                         s.lock->holder.text, s.lock->stale_reason));
    }
    s.problems = problems_of(s);
    s.ok = s.problems.empty();
    // 7. The same facts for node_exporter's textfile collector, so alerting needs no daemon.
    if (options.prometheus) {
        write_prometheus_textfile(*options.prometheus, prometheus_text(s));
        s.prometheus_file = *options.prometheus;
    }
    return s;
}

}  // namespace soniabk
