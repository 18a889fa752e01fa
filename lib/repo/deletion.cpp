#include "repo/deletion.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/atomic_file.hpp"
#include "platform/files.hpp"
#include "platform/processes.hpp"

#include <fstream>
#include <sstream>

namespace soniabk {

namespace {

// An object's size, or 0 when it is not there (a half-removed backup).
std::uint64_t size_of(const storage::Storage& store, const std::string& key) {
    const auto info = store.stat(key);
    return info ? info->size_bytes : 0;
}

}  // namespace

Json RemovedBackup::to_json() const {
    return {{"backup_id", backup_id}, {"kind", kind}, {"timestamp", format_iso8601(time)}, {"bytes", bytes},
            {"reasons", reasons}};
}

Json RemovedFile::to_json() const { return {{"path", path.string()}, {"bytes", bytes}}; }

namespace {

// The intent file, or null when there is none; written atomically, so anything unreadable is ignored.
Json read_intent(const Repository& repo) {
    if (!repo.storage().stat(pending_removal_key)) return nullptr;
    const Json j = Json::parse(repo.storage().read_all(pending_removal_key), nullptr, false);
    return j.is_object() ? j : Json(nullptr);
}

}  // namespace

std::set<std::string> read_pending_removal(const Repository& repo) {
    std::set<std::string> pending;
    const Json j = read_intent(repo);
    if (!j.is_object() || !j.contains("files") || !j["files"].is_array()) return pending;
    for (const auto& file : j["files"]) {
        if (file.is_string()) pending.insert(file.get<std::string>());
    }
    return pending;
}

std::map<std::string, std::string> read_pending_backup_ids(const Repository& repo) {
    std::map<std::string, std::string> ids;
    const Json j = read_intent(repo);
    if (!j.is_object() || !j.contains("files") || !j.contains("backup_ids")) return ids;
    const Json& files = j["files"];
    const Json& names = j["backup_ids"];
    if (!files.is_array() || !names.is_array()) return ids;
    for (std::size_t i = 0; i < files.size() && i < names.size(); ++i) {
        if (files[i].is_string() && names[i].is_string()) ids[names[i].get<std::string>()] = files[i].get<std::string>();
    }
    return ids;
}

std::uint64_t bytes_on_disk(const BackupEntry& entry) {
    return size_of(*entry.storage, entry.data_key) +
           (entry.is_complete() || entry.status == BackupEntry::Status::invalid_manifest
                ? size_of(*entry.storage, entry.manifest_key)
                : 0);
}

RemovedBackup describe_removal(const BackupEntry& entry, std::vector<std::string> reasons) {
    return {entry.id(), entry.kind, entry.time, bytes_on_disk(entry), std::move(reasons)};
}

void remove_backups(const Repository& repo, const std::vector<const BackupEntry*>& backups) {
    storage::Storage& store = repo.storage();
    if (backups.empty()) {
        store.remove(pending_removal_key);
        return;
    }
    // 1. Name every data object first, so leftovers of a kill are recognised whatever their age.
    Json files = Json::array();
    Json ids = Json::array();
    for (const BackupEntry* b : backups) {
        files.push_back(b->data_key);
        ids.push_back(b->id());
    }
    const Json intent{{"format", "soniabk-prune-pending"}, {"files", files}, {"backup_ids", ids}};
    store.write_all(pending_removal_key, intent.dump(2) + "\n", storage::Overwrite::replace);
    fault::point("prune.after_intent_written");
    // 2. Manifests go first, each durable when removed: from here on each of these backups is incomplete,
    //    never complete-but-broken, and a power cut cannot bring a manifest back alone.
    for (const BackupEntry* b : backups) {
        store.remove(b->manifest_key);
        fault::point("prune.manifest_removed");
    }
    fault::point("prune.after_manifests_removed");
    // 3. The data.
    for (const BackupEntry* b : backups) {
        store.remove(b->data_key);
        fault::point("prune.data_removed");
    }
    // 4. Done: nothing is pending any more. The backups are gone whatever happens here: an intent file that
    //    stays (or comes back after a power cut) names only missing files, and the next prune removes it.
    try {
        store.remove(pending_removal_key);
    } catch (const Error&) {
    }
}

std::vector<RemovedFile> stale_temp_files(const Repository& repo, TimePoint now, Duration age) {
    std::vector<RemovedFile> stale;
    for (const storage::ObjectInfo& o : repo.storage().list("", storage::Listing::leftovers)) {
        // A temp's writer is named in it: dead, the temp is stale whatever its age; alive, it is never touched.
        const std::optional<int> owner = temp_owner_pid(fs::path(o.key).filename());
        const bool stale_now = owner ? !platform::process_exists(*owner) : now - o.modified >= age;
        if (stale_now) stale.push_back({o.key, repo.storage().location(o.key), o.size_bytes});
    }
    return stale;
}

void remove_files(const Repository& repo, const std::vector<RemovedFile>& files) {
    for (const RemovedFile& f : files) repo.storage().remove(f.key);
}

}  // namespace soniabk
