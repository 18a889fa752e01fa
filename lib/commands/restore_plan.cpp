// restore --dry-run and the restore result's JSON document.
#include "commands/restore.hpp"

#include "io/atomic_file.hpp"
#include "repo/read_backup.hpp"
#include "repo/extract.hpp"
#include "commands/restore_point.hpp"
#include "commands/restore_support.hpp"
#include "sqlite/swap.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

std::vector<PlannedMove> moves_for(const RestoreOptions& options, const BackupEntry& entry, RestoreResult& result) {
    const fs::path temp = temp_path_for(options.target);
    std::vector<PlannedMove> moves{{entry.manifest->is_encoded() ? "decode" : "copy", entry.data_path, temp}};
    const TargetFiles files = inspect_target(options.target);
    if (files.exists) {
        if (files.wal_bytes > 0) moves.push_back({"checkpoint", files.wal(), files.db});
        const fs::path replaced = replaced_path_for(options.target, options.clock->now());
        moves.push_back({"link", files.db, replaced});
        result.replaced_path = replaced;
        for (const fs::path& sidecar : {files.wal(), files.journal(), files.shm()}) {
            std::error_code ec;
            if (fs::exists(sidecar, ec)) moves.push_back({"remove", sidecar, {}});
        }
    }
    moves.push_back({"rename", temp, options.target});
    return moves;
}

// While the services still run, the database is expected to be open: --stop-cmd comes before the check.
StepOutcome target_check_for_plan(const RestoreOptions& options) {
    if (!options.stop_cmd.empty() && !options.force) {
        if (const auto who = database_in_use(options.target)) {
            return StepOutcome::pass(fmt::format("now {}; --stop-cmd runs before the check", *who));
        }
    }
    return require_target_free(options.target, options.force ? TargetInUse::replace_anyway : TargetInUse::refuse);
}

}  // namespace

void plan_restore(const RestoreOptions& options, RestoreResult& result) {
    StepLog steps("restore.dry_run.", *options.trace);
    try {
        BackupEntry entry;
        std::optional<ReplayChoice> replay;
        steps.run("choose_backup", [&] {
            entry = choose_backup_or_base(options, replay);
            if (replay) {
                result.point = Json{{"lineage_id", replay->lineage.record.id},
                                    {"committed_at", format_iso8601(replay->point)},
                                    {"seconds_before_at", std::chrono::duration<double>(options.at - replay->point).count()}};
            }
            return StepOutcome::pass(describe_choice(entry, result));
        });
        steps.run("check_space", [&] { return StepOutcome::pass(require_space(options.target, entry, result)); });
        steps.run("verify_backup", [&] {
            const FileDigest digest = verify_in_place(entry, *options.progress);
            return StepOutcome::pass(fmt::format("{} bytes, SHA-256 matches the manifest", digest.size_bytes));
        });
        steps.run("check_key", [&] {
            const std::string decoding = require_decodable(entry, options.keys);
            return decoding.empty() ? StepOutcome::skip("plain backup: nothing to decode")
                                    : StepOutcome::pass(fmt::format("the copy will {} on the fly", decoding));
        });
        steps.run("check_target_free", [&] { return target_check_for_plan(options); });
        result.plan = moves_for(options, entry, result);
        result.ok = true;
    } catch (const Error& e) {
        result.error = Failure::from(e);
    }
    result.steps = steps.records();
}

Json PlannedMove::to_json() const {
    return {{"action", action}, {"from", from.string()}, {"to", to.empty() ? Json(nullptr) : Json(to.string())}};
}

Json RestoreResult::to_json() const {
    Json step_list = Json::array();
    for (const auto& step : steps) step_list.push_back(step.to_json());
    Json kept = Json::array();
    for (const auto& file : replaced_files) kept.push_back(file.string());
    Json json = {{"ok", ok},
                 {"backup_id", backup_id.empty() ? Json(nullptr) : Json(backup_id)},
                 {"target", target.string()},
                 {"replaced_path", replaced_path ? Json(replaced_path->string()) : Json(nullptr)},
                 {"steps", step_list},
                 {"duration_seconds", duration_seconds},
                 {"rto_target_seconds", rto_target_seconds},
                 {"within_rto", within_rto},
                 {"dry_run", dry_run},
                 {"backup_path", backup_path.empty() ? Json(nullptr) : Json(backup_path.string())},
                 {"backup_created_at", backup_id.empty() ? Json(nullptr) : Json(format_iso8601(backup_created_at))},
                 {"replaced_files", kept},
                 {"space_needed_bytes", space_needed_bytes},
                 {"space_available_bytes", space_available_bytes}};
    if (dry_run) {
        Json moves = Json::array();
        for (const auto& move : plan) moves.push_back(move.to_json());
        json["plan"] = moves;
    }
    json["point"] = point ? *point : Json(nullptr);
    if (error) json["error"] = error->to_json();
    return json;
}

int RestoreResult::exit_code() const { return ok ? 0 : error ? static_cast<int>(error->category) : 1; }

}  // namespace soniabk
