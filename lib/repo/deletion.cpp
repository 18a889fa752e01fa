#include "repo/deletion.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/files.hpp"

#include <fstream>
#include <sstream>

namespace soniabk {

namespace {

std::uint64_t size_of(const fs::path& path) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);  // one stat for the common case: a regular file
    if (!ec) return size;
    if (!fs::is_directory(path, ec)) return 0;
    std::uint64_t total = 0;
    for (const auto& item : fs::recursive_directory_iterator(path, ec)) {
        if (item.is_regular_file(ec)) total += item.file_size(ec);
    }
    return total;
}

TimePoint modified_at(const fs::path& path) {
    std::error_code ec;
    const auto t = fs::last_write_time(path, ec);
    if (ec) return {};
    return std::chrono::time_point_cast<Duration>(std::chrono::file_clock::to_sys(t));
}

void remove_path(const fs::path& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) throw io_error("remove", path, ec.value());
}

}  // namespace

Json RemovedBackup::to_json() const {
    return {{"backup_id", backup_id}, {"kind", kind}, {"timestamp", format_iso8601(time)}, {"bytes", bytes},
            {"reason", reason}};
}

Json RemovedFile::to_json() const { return {{"path", path.string()}, {"bytes", bytes}}; }

fs::path pending_removal_path(const Repository& repo) { return repo.root() / "prune-pending.json"; }

std::set<fs::path> read_pending_removal(const Repository& repo) {
    std::set<fs::path> pending;
    std::ifstream in(pending_removal_path(repo), std::ios::binary);
    if (!in) return pending;
    std::ostringstream text;
    text << in.rdbuf();
    // Written atomically, so a torn file cannot occur; anything unreadable names no file and is ignored.
    const Json j = Json::parse(text.str(), nullptr, false);
    if (!j.is_object() || !j.contains("files") || !j["files"].is_array()) return pending;
    for (const auto& file : j["files"]) {
        if (file.is_string()) pending.insert(repo.root() / fs::path(file.get<std::string>()));
    }
    return pending;
}

std::uint64_t bytes_on_disk(const BackupEntry& entry) {
    return size_of(entry.data_path) + (entry.is_complete() || entry.status == BackupEntry::Status::invalid_manifest
                                           ? size_of(entry.manifest_path)
                                           : 0);
}

RemovedBackup describe_removal(const BackupEntry& entry, std::string reason) {
    return {entry.id(), entry.kind, entry.time, bytes_on_disk(entry), std::move(reason)};
}

void remove_backups(const Repository& repo, const std::vector<const BackupEntry*>& backups) {
    const fs::path intent = pending_removal_path(repo);
    std::error_code ec;
    if (backups.empty()) {
        if (fs::remove(intent, ec)) platform::sync_directory(repo.root());
        return;
    }
    // 1. Name every data file first, so leftovers of a kill are recognised whatever their age.
    Json files = Json::array();
    std::set<fs::path> directories;
    for (const BackupEntry* b : backups) {
        files.push_back(b->data_path.lexically_relative(repo.root()).generic_string());
        directories.insert(b->data_path.parent_path());
    }
    write_file_atomically(intent, Json{{"format", "soniabk-prune-pending"}, {"files", files}}.dump(2) + "\n");
    fault::point("prune.after_intent_written");
    // 2. Manifests go first: from here on each of these backups is incomplete, never complete-but-broken.
    for (const BackupEntry* b : backups) {
        if (fs::exists(b->manifest_path, ec)) remove_path(b->manifest_path);
        fault::point("prune.manifest_removed");
    }
    // 3. Make the removals durable before any data goes, so a power cut cannot bring a manifest back alone.
    for (const fs::path& dir : directories) platform::sync_directory(dir);
    fault::point("prune.after_manifests_removed");
    // 4. The data.
    for (const BackupEntry* b : backups) {
        remove_path(b->data_path);
        fault::point("prune.data_removed");
    }
    for (const fs::path& dir : directories) platform::sync_directory(dir);
    // 5. Done: nothing is pending any more.
    remove_path(intent);
    platform::sync_directory(repo.root());
}

std::vector<RemovedFile> stale_temp_files(const Repository& repo, TimePoint now, Duration age) {
    std::vector<RemovedFile> stale;
    std::vector<fs::path> directories = {repo.root()};
    std::error_code ec;
    for (const auto& item : fs::directory_iterator(repo.root(), ec)) {
        if (item.is_directory(ec) && !is_temp_name(item.path())) directories.push_back(item.path());
    }
    for (const fs::path& dir : directories) {
        for (const auto& item : fs::directory_iterator(dir, ec)) {
            if (is_temp_name(item.path()) && now - modified_at(item.path()) >= age) {
                stale.push_back({item.path(), size_of(item.path())});
            }
        }
    }
    return stale;
}

void remove_files(const std::vector<RemovedFile>& files) {
    for (const RemovedFile& f : files) remove_path(f.path);
}

}  // namespace soniabk
