#include "repo/repository.hpp"

#include "platform/files.hpp"
#include "platform/processes.hpp"
#include "storage/local_storage.hpp"
#include "base/error.hpp"
#include "platform/files.hpp"
#include "platform/processes.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <map>
#include <thread>

namespace soniabk {

namespace {

constexpr std::array<std::string_view, 2> kinds = {"db", "state"};

bool ends_with(const std::string& s, std::string_view suffix) { return s.ends_with(suffix); }

// Groups a kind's objects into backups: a manifest and its data file, or data alone (incomplete).
void scan_kind(const std::shared_ptr<storage::Storage>& store, std::string_view kind, std::vector<BackupEntry>& out) {
    const std::string prefix = std::string(kind) + "/";
    std::map<std::string, BackupEntry> by_data_name;
    for (const storage::ObjectInfo& object : store->list(prefix)) {
        const std::string name = object.key.substr(prefix.size());
        if (name.starts_with('.') || name.find('/') != std::string::npos) continue;
        if (ends_with(name, manifest_suffix)) {
            const std::string data_name = name.substr(0, name.size() - manifest_suffix.size());
            BackupEntry& entry = by_data_name[data_name];
            entry.manifest_key = object.key;
            entry.manifest_path = store->location(object.key);
            try {
                entry.manifest = parse_manifest(store->read_all(object.key), entry.manifest_path);
                entry.status = BackupEntry::Status::complete;
                entry.data_key = prefix + entry.manifest->file;
                entry.time = entry.manifest->created_at;
            } catch (const Error& e) {
                entry.status = BackupEntry::Status::invalid_manifest;
                entry.problem = e.what();
                entry.data_key = prefix + data_name;
                entry.time = object.modified;
            }
        } else {
            BackupEntry& entry = by_data_name[name];
            if (entry.manifest_key.empty()) {
                entry.status = BackupEntry::Status::incomplete;
                entry.data_key = object.key;
                entry.manifest_key = object.key + std::string(manifest_suffix);
                entry.manifest_path = store->location(entry.manifest_key);
                entry.problem = "no manifest: the backup did not finish";
                entry.time = object.modified;
            }
        }
    }
    for (auto& [name, entry] : by_data_name) {
        entry.kind = std::string(kind);
        entry.storage = store;
        entry.data_path = store->location(entry.data_key);
        out.push_back(std::move(entry));
    }
}

}  // namespace

std::string BackupEntry::id() const { return manifest ? manifest->backup_id : data_path.filename().string(); }

const char* to_string(BackupEntry::Status status) {
    switch (status) {
        case BackupEntry::Status::complete: return "complete";
        case BackupEntry::Status::incomplete: return "incomplete";
        case BackupEntry::Status::invalid_manifest: return "invalid";
    }
    return "invalid";
}

Repository Repository::open(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw runtime_error(ErrorCode::repo_missing, root.string() + ": no such repository (run 'soniabk backup db' first)", root);
    }
    return Repository(root, std::make_shared<storage::LocalStorage>(root));
}

Repository Repository::create_or_open(const fs::path& root) {
    platform::create_private_directories(root);
    for (const auto kind : kinds) platform::create_private_directories(root / std::string(kind));
    return Repository(root, std::make_shared<storage::LocalStorage>(root));
}

std::vector<BackupEntry> Repository::scan() const {
    std::vector<BackupEntry> entries;
    for (const auto kind : kinds) scan_kind(storage_, kind, entries);
    std::stable_sort(entries.begin(), entries.end(), [](const BackupEntry& a, const BackupEntry& b) {
        if (a.time != b.time) return a.time > b.time;
        return a.data_path.filename() > b.data_path.filename();
    });
    return entries;
}

RepositoryLock Repository::lock_for_writing(const std::string& activity, Duration wait) const {
    const fs::path path = storage_->location(lock_key);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    const std::string holder_text = fmt::format("soniabk pid {} ({})\n", platform::current_process_id(), activity);
    for (;;) {
        if (auto lock = storage_->try_lock(lock_key, holder_text)) return RepositoryLock(std::move(lock));
        if (std::chrono::steady_clock::now() >= deadline) {
            std::string holder;
            try {
                holder = storage_->read_all(lock_key);
                holder = holder.substr(0, holder.find('\n'));
            } catch (const Error&) {
                // Who holds it is a courtesy; the lock itself is what counts.
            }
            throw runtime_error(ErrorCode::locked,
                                fmt::format("{}: repository is locked by {} (waited {})", path.string(),
                                            holder.empty() ? "another process" : holder, format_duration(wait)),
                                path);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string Repository::allocate_data_key(std::string_view kind, std::string_view stem, std::string_view extension,
                                          TimePoint at) const {
    const std::string base = fmt::format("{}/{}-{}", kind, stem, format_compact(at));
    for (int n = 1;; ++n) {
        const std::string key = n == 1 ? fmt::format("{}{}", base, extension) : fmt::format("{}-{}{}", base, n, extension);
        if (!storage_->stat(key) && !storage_->stat(key + std::string(manifest_suffix))) return key;
    }
}

std::string new_backup_id(TimePoint at) {
    unsigned char random[3];
    if (RAND_bytes(random, sizeof random) != 1) throw runtime_error(ErrorCode::crypto, "OpenSSL could not produce random bytes");
    const std::string compact = format_compact(at);  // YYYYMMDD-HHMMSS
    return fmt::format("bkp_{}T{}Z_{:02x}{:02x}{:02x}", compact.substr(0, 8), compact.substr(9), random[0], random[1],
                       random[2]);
}

const BackupEntry& find_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix) {
    if (id_or_prefix.empty()) throw usage_error("an empty backup id matches nothing");
    std::vector<const BackupEntry*> matches;
    for (const auto& entry : entries) {
        const std::string id = entry.id();
        const std::string file = entry.data_path.filename().string();
        if (id == id_or_prefix || file == id_or_prefix) return entry;
        if (id.starts_with(id_or_prefix) || file.starts_with(id_or_prefix)) matches.push_back(&entry);
    }
    if (matches.empty()) throw runtime_error(ErrorCode::not_found, fmt::format("no backup matches '{}'", id_or_prefix));
    if (matches.size() > 1) {
        std::string names;
        for (std::size_t i = 0; i < matches.size() && i < 5; ++i) names += (i ? ", " : "") + matches[i]->id();
        throw usage_error(fmt::format("'{}' matches {} backups ({}{}): give more of the id", id_or_prefix,
                                      matches.size(), names, matches.size() > 5 ? ", ..." : ""));
    }
    return *matches.front();
}

const BackupEntry* newest_complete(const std::vector<BackupEntry>& entries, std::string_view kind) {
    for (const auto& entry : entries) {
        if (entry.is_complete() && (kind.empty() || entry.kind == kind)) return &entry;
    }
    return nullptr;
}

}  // namespace soniabk
