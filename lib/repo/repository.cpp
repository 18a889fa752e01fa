#include "repo/repository.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/version.hpp"
#include "platform/files.hpp"
#include "repo/location.hpp"
#include "repo/lock_state.hpp"
#include "storage/local_storage.hpp"
#include "storage/s3_storage.hpp"

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

bool is_bucket(const fs::path& root) { return is_bucket_location(root); }

// A bucket is reached with the run's S3 settings (the config's [s3] table under the AWS_* environment).
std::shared_ptr<storage::Storage> storage_at(const fs::path& root) {
    if (is_bucket(root)) return std::make_shared<storage::S3Storage>(s3_settings(), parse_s3_url(root.string()));
    return std::make_shared<storage::LocalStorage>(root);
}

// A bucket has no directory to check: its first request says whether it is there.
bool location_exists(const fs::path& root) {
    std::error_code ec;
    return is_bucket(root) || fs::is_directory(root, ec);
}

// A bucket that cannot be reached or read fails at its first request: every later one would wait out the
// same retry budget to say the same.
bool is_unreachable(const Error& error) {
    switch (error.code_id()) {
        case ErrorCode::unreachable:
        case ErrorCode::timeout:
        case ErrorCode::tls:
        case ErrorCode::permission_denied:
        case ErrorCode::clock_skew:
        case ErrorCode::repo_missing:
            return true;
        default:
            return false;
    }
}

void create_kind_directories(const fs::path& root) {
    if (is_bucket(root)) return;
    for (const auto kind : kinds) platform::create_private_directories(root / std::string(kind));
}

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
                entry.problem.clear();  // the data file, listed first, looked incomplete until now
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

Repository::Repository(fs::path root, std::shared_ptr<storage::Storage> storage)
    : root_(std::move(root)), storage_(std::move(storage)) {}

Repository Repository::open(const fs::path& root) {
    if (!location_exists(root)) {
        throw runtime_error(ErrorCode::repo_missing,
                            fmt::format("{}: no such repository (run 'soniabk init --repo {}' first)", root.string(),
                                        root.string()),
                            root);
    }
    Repository repo(root, storage_at(root));
    try {
        repo.config_ = read_repository_config(*repo.storage_);
    } catch (const Error& e) {
        if (is_bucket(root) && is_unreachable(e)) throw;
        // A damaged config must never stand between an operator and a restore; writers read it strictly.
    }
    return repo;
}

Repository Repository::init(const fs::path& root, const RepositoryConfig& config) {
    if (!is_bucket(root)) platform::create_private_directories(root);
    create_kind_directories(root);
    auto store = storage_at(root);
    if (store->stat(repository_config_key)) {
        throw runtime_error(ErrorCode::exists,
                            fmt::format("{}: already a soniabk repository", store->location(repository_config_key).string()),
                            store->location(repository_config_key));
    }
    write_repository_config(*store, config);
    Repository repo(root, std::move(store));
    repo.config_ = config;
    return repo;
}

namespace {

// Manifests or a journal: the marks of a repository written before `init` existed.
bool holds_soniabk_backups(const storage::Storage& store) {
    if (store.stat(journal_key)) return true;
    for (const auto kind : kinds) {
        for (const auto& object : store.list(std::string(kind) + "/")) {
            if (object.key.ends_with(manifest_suffix)) return true;
        }
    }
    return false;
}

// An adopted repository keeps the encryption its newest backup has, so plaintext cannot join encrypted ones.
EncryptionPolicy policy_of_newest(const std::vector<BackupEntry>& entries) {
    const BackupEntry* newest = newest_complete(entries);
    if (newest == nullptr || !newest->manifest->encryption) return EncryptionPolicy::plain;
    return newest->manifest->encryption->key_source == "passphrase" ? EncryptionPolicy::passphrase
                                                                    : EncryptionPolicy::key_file;
}

}  // namespace

Repository Repository::open_for_writing(const fs::path& root, const Clock& clock) {
    const auto not_a_repository = [&](std::string_view why) {
        return Error(ErrorCategory::usage, ErrorCode::not_a_repository,
                     fmt::format("{}: {}: run 'soniabk init --repo {}' to make it one", root.string(), why,
                                 root.string()),
                     root);
    };
    if (!location_exists(root)) throw not_a_repository("no such repository");
    Repository repo(root, storage_at(root));
    repo.config_ = read_repository_config(*repo.storage_);
    if (repo.config_) return repo;
    if (!holds_soniabk_backups(*repo.storage_)) throw not_a_repository("not a soniabk repository (no config.json)");
    RepositoryConfig adopted;
    adopted.repository_id = new_repository_id();
    adopted.format = BackupFormat::files;
    adopted.encryption = policy_of_newest(repo.scan());
    adopted.created_at = clock.now();
    adopted.tool_version = tool_version;
    adopted.origin = ConfigOrigin::adopted;
    create_kind_directories(root);
    try {
        write_repository_config(*repo.storage_, adopted);
        repo.adopted_ = true;
    } catch (const Error& e) {
        if (e.code_id() != ErrorCode::exists) throw;  // another writer adopted it first: its config counts
    }
    repo.config_ = read_repository_config(*repo.storage_);
    return repo;
}

void Repository::require_accepts(const Encoding& encoding) const {
    if (!config_ || !config_->requires_encryption() || encoding.encrypted()) return;
    throw Error(ErrorCategory::usage, ErrorCode::repo_encrypted,
                fmt::format("{}: the repository only takes encrypted backups (encryption {}): add --encrypt with "
                            "SONIABK_KEY_FILE or SONIABK_PASSPHRASE",
                            root_.string(), to_string(config_->encryption)),
                root_);
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

namespace {

// "soniabk pid 4242 on nas by alice (backup db)", the first line the holder wrote; empty when it cannot be read.
std::string lock_holder(const storage::Storage& store) {
    try {
        const std::string text = store.read_all(lock_key);
        return text.substr(0, text.find('\n'));
    } catch (const Error&) {
        return {};  // who holds it is a courtesy; the lock itself is what counts
    }
}

}  // namespace

RepositoryLock Repository::lock_for_writing(const std::string& activity, Duration wait, Progress& progress) const {
    const fs::path path = storage_->location(lock_key);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    const std::string holder_text = lock_holder_line(activity) + "\n";
    bool waiting = false;
    for (;;) {
        if (auto lock = storage_->try_lock(lock_key, holder_text)) {
            if (waiting) progress.end();
            return RepositoryLock(std::move(lock));
        }
        const std::string holder = lock_holder(*storage_);
        if (!waiting) {
            const auto since = storage_->stat(lock_key);
            std::string who = holder.starts_with("soniabk ") ? holder.substr(8) : holder;
            progress.begin(fmt::format("waiting for the lock held by {}{}", who.empty() ? "another process" : who,
                                       since ? " since " + format_iso8601(since->modified) : std::string()),
                           0);
            waiting = true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            progress.end();
            throw runtime_error(ErrorCode::locked,
                                fmt::format("{}: repository is locked by {} (waited {})", path.string(),
                                            holder.empty() ? "another process" : holder, format_duration(wait)),
                                path);
        }
        interrupt::check();
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

std::string short_id(std::string_view id) {
    const auto underscore = id.rfind('_');
    if (!id.starts_with("bkp_") || underscore == std::string_view::npos || underscore + 1 == id.size()) {
        return std::string(id);
    }
    return std::string(id.substr(underscore + 1));
}

const BackupEntry& find_backup(const std::vector<BackupEntry>& entries, std::string_view id_or_prefix) {
    if (id_or_prefix.empty()) throw usage_error("an empty backup id matches nothing");
    std::vector<const BackupEntry*> matches;
    for (const auto& entry : entries) {
        const std::string id = entry.id();
        const std::string file = entry.data_path.filename().string();
        if (id == id_or_prefix || file == id_or_prefix) return entry;
        const bool random_part = entry.manifest && short_id(id) != id && short_id(id).starts_with(id_or_prefix);
        if (id.starts_with(id_or_prefix) || file.starts_with(id_or_prefix) || random_part) matches.push_back(&entry);
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

const BackupEntry* newest_db_at_or_before(const std::vector<BackupEntry>& entries, TimePoint at) {
    for (const auto& entry : entries) {
        if (entry.is_complete() && entry.kind == "db" && entry.time <= at) return &entry;
    }
    return nullptr;
}

}  // namespace soniabk
