#include "commands/replaced.hpp"

#include "repo/journal.hpp"
#include "repo/repository.hpp"

#include <chrono>

namespace soniabk {

Json replaced_to_json(const ReplacedDatabase& replaced) {
    Json files = Json::array();
    for (const auto& f : replaced.files) files.push_back(f.string());
    return {{"path", replaced.path.string()}, {"bytes", replaced.bytes}, {"files", files}};
}

Json RemoveReplacedResult::to_json() const {
    Json list = Json::array();
    for (const auto& r : removed) list.push_back(replaced_to_json(r));
    return {{"ok", true}, {"dry_run", dry_run}, {"db", db.string()}, {"removed", list}, {"freed_bytes", freed_bytes}};
}

RemoveReplacedResult remove_replaced_databases(const RemoveReplacedOptions& options) {
    const Repository repo = Repository::open(options.repo);  // before anything goes: the journal must be there
    const auto started = std::chrono::steady_clock::now();
    RemoveReplacedResult result;
    result.dry_run = options.mode == RemovalMode::dry_run;
    result.db = options.db;
    result.removed = find_replaced(options.db);
    for (const auto& r : result.removed) result.freed_bytes += r.bytes;
    if (result.dry_run) return result;
    Json paths = Json::array();
    for (const auto& r : result.removed) {
        remove_replaced(r);
        paths.push_back(r.path.string());
    }
    JournalRecord record{"restore --remove-replaced", options.clock->now(), true};
    record.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record.detail = {{"db", options.db.string()}, {"removed", paths}, {"freed_bytes", result.freed_bytes}};
    append_journal(repo.storage(), record);
    return result;
}

}  // namespace soniabk
