#include "fake_repo.hpp"
#include "storage/local_storage.hpp"

#include "io/hash.hpp"
#include "repo/manifest.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>

#include <atomic>
#include <stdexcept>

namespace soniabk::test {

namespace fs = std::filesystem;

namespace {

// A data path no backup in `dir` uses yet, named like real backups.
fs::path free_data_path(const fs::path& dir, TimePoint t) {
    const std::string base = "memory-" + format_compact(t);
    for (int n = 1;; ++n) {
        const fs::path candidate = dir / (n == 1 ? base + ".db" : fmt::format("{}-{}.db", base, n));
        if (!fs::exists(candidate)) return candidate;
    }
}

}  // namespace

TimePoint at(const std::string& iso) {
    const auto parsed = parse_iso8601(iso);
    if (!parsed) throw std::invalid_argument("bad time in test: " + iso);
    return *parsed;
}

void set_modification_time(const fs::path& path, TimePoint t) {
    fs::last_write_time(path, std::chrono::file_clock::from_sys(t));
}

std::string add_fake_backup(const fs::path& repo, TimePoint t, const FakeBackup& backup) {
    static std::atomic<int> counter{0};
    const fs::path dir = repo / backup.kind;
    fs::create_directories(dir);
    const fs::path data = free_data_path(dir, t);
    write_text(data, backup.content);
    set_modification_time(data, t);
    const FileDigest digest = hash_file(data);
    Manifest m;
    const std::string compact = format_compact(t);
    m.backup_id = fmt::format("bkp_{}T{}Z_{:06x}", compact.substr(0, 8), compact.substr(9), counter++);
    m.kind = backup.kind;
    m.label = backup.label;
    m.created_at = t;
    m.source = "/srv/sonia/memory.db";
    m.method = "backup";
    m.file = data.filename().string();
    m.size_bytes = backup.claimed_size ? backup.claimed_size : digest.size_bytes;
    m.sha256 = digest.sha256;
    m.tool_version = "test";
    storage::LocalStorage store(repo);
    write_manifest(store, data.lexically_relative(repo).generic_string(), m);
    return m.backup_id;
}

fs::path add_incomplete_backup(const fs::path& repo, TimePoint modified, const std::string& kind) {
    const fs::path dir = repo / kind;
    fs::create_directories(dir);
    const fs::path data = free_data_path(dir, modified);
    write_text(data, "a backup that never got its manifest");
    set_modification_time(data, modified);
    return data;
}

}  // namespace soniabk::test
