#include "repo/repository.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "platform/files.hpp"
#include "platform/processes.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <thread>

namespace soniabk {

namespace {

constexpr std::array<std::string_view, 2> kinds = {"db", "state"};

bool ends_with(const std::string& s, std::string_view suffix) { return s.ends_with(suffix); }

TimePoint modification_time(const fs::path& path) {
    std::error_code ec;
    const auto t = fs::last_write_time(path, ec);
    if (ec) return {};
    return std::chrono::time_point_cast<Duration>(std::chrono::file_clock::to_sys(t));
}

void scan_kind(const fs::path& dir, std::string_view kind, std::vector<BackupEntry>& out) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    std::map<std::string, BackupEntry> by_data_name;
    for (const auto& item : fs::directory_iterator(dir, ec)) {
        const fs::path& path = item.path();
        const std::string name = path.filename().string();
        if (is_temp_name(path) || name.starts_with('.') || !item.is_regular_file()) continue;
        if (ends_with(name, manifest_suffix)) {
            const std::string data_name = name.substr(0, name.size() - manifest_suffix.size());
            BackupEntry& entry = by_data_name[data_name];
            entry.manifest_path = path;
            try {
                entry.manifest = read_manifest(path);
                entry.status = BackupEntry::Status::complete;
                entry.data_path = dir / entry.manifest->file;
                entry.time = entry.manifest->created_at;
            } catch (const Error& e) {
                entry.status = BackupEntry::Status::invalid_manifest;
                entry.problem = e.what();
                entry.data_path = dir / data_name;
                entry.time = modification_time(path);
            }
        } else {
            BackupEntry& entry = by_data_name[name];
            if (entry.manifest_path.empty()) {
                entry.status = BackupEntry::Status::incomplete;
                entry.data_path = path;
                entry.manifest_path = manifest_path_for(path);
                entry.problem = "no manifest: the backup did not finish";
                entry.time = modification_time(path);
            }
        }
    }
    for (auto& [name, entry] : by_data_name) {
        entry.kind = std::string(kind);
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
    return Repository(root);
}

Repository Repository::create_or_open(const fs::path& root) {
    platform::create_private_directories(root);
    for (const auto kind : kinds) platform::create_private_directories(root / std::string(kind));
    return Repository(root);
}

std::vector<BackupEntry> Repository::scan() const {
    std::vector<BackupEntry> entries;
    for (const auto kind : kinds) scan_kind(kind_directory(kind), kind, entries);
    std::stable_sort(entries.begin(), entries.end(), [](const BackupEntry& a, const BackupEntry& b) {
        if (a.time != b.time) return a.time > b.time;
        return a.data_path.filename() > b.data_path.filename();
    });
    return entries;
}

RepositoryLock Repository::lock_for_writing(const std::string& activity, Duration wait) const {
    const fs::path path = root_ / ".lock";
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        if (auto lock = platform::FileLock::try_acquire(path, platform::LockMode::exclusive)) {
            lock->describe_holder(fmt::format("soniabk pid {} ({})\n", platform::current_process_id(), activity));
            return RepositoryLock(std::move(*lock));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            std::ifstream in(path);
            std::string holder;
            std::getline(in, holder);
            throw runtime_error(ErrorCode::locked,
                                fmt::format("{}: repository is locked by {} (waited {})", path.string(),
                                            holder.empty() ? "another process" : holder, format_duration(wait)),
                                path);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

fs::path Repository::allocate_data_path(std::string_view kind, std::string_view stem, std::string_view extension,
                                        TimePoint at) const {
    const fs::path dir = kind_directory(kind);
    const std::string base = fmt::format("{}-{}", stem, format_compact(at));
    for (int n = 1;; ++n) {
        const std::string name = n == 1 ? fmt::format("{}{}", base, extension) : fmt::format("{}-{}{}", base, n, extension);
        const fs::path candidate = dir / name;
        std::error_code ec;
        if (!fs::exists(candidate, ec) && !fs::exists(manifest_path_for(candidate), ec)) return candidate;
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
