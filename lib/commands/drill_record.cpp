#include "commands/drill_record.hpp"

#include "base/error.hpp"
#include "commands/incident.hpp"
#include "commands/last_runs.hpp"
#include "platform/files.hpp"
#include "storage/local_storage.hpp"
#include "repo/journal.hpp"
#include "commands/list.hpp"
#include "repo/repository.hpp"
#include "platform/files.hpp"

namespace soniabk {

Json DrillResult::to_json() const {
    Json step_list = Json::array();
    for (const auto& step : steps) step_list.push_back(step.to_json());
    Json json = {{"drill_id", drill_id},
                 {"status", status},
                 {"passed", passed},
                 {"rto_actual_seconds", rto_actual_seconds},
                 {"rto_target_seconds", rto_target_seconds},
                 {"rpo_actual_seconds", rpo_actual_seconds ? Json(*rpo_actual_seconds) : Json(nullptr)},
                 {"rpo_target_seconds", rpo_target_seconds},
                 {"steps", step_list},
                 {"ok", passed},
                 {"backup_id", backup_id.empty() ? Json(nullptr) : Json(backup_id)},
                 {"started_at", format_iso8601(started_at)},
                 {"finished_at", format_iso8601(finished_at)},
                 {"scratch_dir", scratch_dir.empty() ? Json(nullptr) : Json(scratch_dir.string())},
                 {"scratch_kept", scratch_kept},
                 {"record_path", record_path.string()},
                 {"incident_path", incident_path ? Json(incident_path->string()) : Json(nullptr)}};
    if (point) json["point"] = *point;
    if (recover_probe) json["recover_probe"] = recover_probe->to_json();
    if (!incident_error.empty()) json["incident_error"] = incident_error;
    if (!record_error.empty()) json["record_error"] = record_error;
    if (error) json["error"] = error->to_json();
    return json;
}

int DrillResult::exit_code() const {
    if (error) return static_cast<int>(error->category);
    return passed ? 0 : 1;
}

namespace {

void write_bundle(const DrillOptions& options, const Repository& repo, DrillResult& result,
                  const DrillEvidence& evidence) {
    // Into the repository (incidents/<drill id>/), or a folder of the operator's choosing.
    std::optional<storage::LocalStorage> elsewhere;
    if (!options.incident_dir.empty()) {
        platform::create_private_directories(options.incident_dir);
        elsewhere.emplace(options.incident_dir);
    }
    storage::Storage& store = elsewhere ? static_cast<storage::Storage&>(*elsewhere) : repo.storage();
    const std::string prefix = elsewhere ? result.drill_id : "incidents/" + result.drill_id;
    result.incident_path = store.location(prefix);
    try {
        ListOptions list{repo.root(), {}, {}};
        write_incident_bundle(store, prefix,
                              {result.to_json(), evidence.manifest, evidence.integrity_output,
                               list_backups(list).to_json(), evidence.restore});
    } catch (const Error& e) {
        result.incident_path.reset();
        result.incident_error = e.what();
    }
}

Json drill_journal_detail(const DrillResult& result) {
    Json failed = Json::array();
    for (const auto& step : result.steps) {
        if (!step.passed) failed.push_back(step.step);
    }
    return {{"drill_id", result.drill_id},
            {"backup_id", result.backup_id.empty() ? Json(nullptr) : Json(result.backup_id)},
            {"status", result.status},
            {"passed", result.passed},
            {"rto_actual_seconds", result.rto_actual_seconds},
            {"rto_target_seconds", result.rto_target_seconds},
            {"rpo_actual_seconds", result.rpo_actual_seconds ? Json(*result.rpo_actual_seconds) : Json(nullptr)},
            {"failed_steps", failed},
            {"incident_path", result.incident_path ? Json(result.incident_path->string()) : Json(nullptr)}};
}

}  // namespace

void record_drill(const DrillOptions& options, DrillResult& result, const DrillEvidence& evidence) {
    const Repository repo = Repository::open(options.repo);
    result.record_path = repo.storage().location(last_drill_key);
    result.scratch_kept = options.keep && !result.scratch_dir.empty();
    // 1. A drill that did not pass leaves an incident bundle; its path goes into the drill's own record.
    if (!result.passed) write_bundle(options, repo, result, evidence);
    // 2. Scratch files go unless --keep: a drill leaves no copy of the memories behind.
    if (!result.scratch_kept && !result.scratch_dir.empty()) {
        std::error_code ignored;
        fs::remove_all(result.scratch_dir, ignored);
    }
    // 3. The last result, atomically, for `status` and monitoring; a read-only repository (a mounted copy, a
    //    replica) still gets its drill, which says it could not record itself.
    try {
        repo.storage().write_all(last_drill_key, result.to_json().dump(2) + "\n", storage::Overwrite::replace);
    } catch (const Error& e) {
        result.record_error = e.what();
    }
    // 4. The journal line.
    JournalRecord record{"drill", result.started_at, result.passed, result.rto_actual_seconds, drill_journal_detail(result)};
    append_journal(repo.storage(), record);
}

}  // namespace soniabk
