#include "commands/backup.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/hash.hpp"
#include "repo/journaled.hpp"
#include "platform/platform.hpp"
#include "repo/repository.hpp"
#include "io/scratch.hpp"
#include "sqlite/sqlite.hpp"
#include "base/version.hpp"

#include <fmt/format.h>

#include <future>

namespace soniabk {

namespace {

// Removes the temp file unless the backup got far enough to publish it.
class TempFileGuard {
public:
    explicit TempFileGuard(fs::path path) : path_(std::move(path)) {}
    TempFileGuard(const TempFileGuard&) = delete;
    TempFileGuard& operator=(const TempFileGuard&) = delete;
    ~TempFileGuard() {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_.string() + suffix, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string stem_of(const fs::path& db) {
    const std::string stem = db.stem().string();
    return stem.empty() ? std::string("database") : stem;
}

BackupResult run_backup(const BackupDbOptions& options, const Repository& repo) {
    const auto started = std::chrono::steady_clock::now();
    // 1. Refuse a missing or foreign source, and settle the key, before anything is written.
    require_sqlite_file(options.db);
    const Encoding encoding = Encoding::resolve(options.codec);
    // 2. One writer per repository at a time: names, ids and prune decisions cannot race.
    const RepositoryLock lock = repo.lock_for_writing("backup db", options.lock_wait);
    // 3. Name the backup after the moment its snapshot begins (UTC), unique within the second.
    const TimePoint created_at = options.clock->now();
    const fs::path target = repo.allocate_data_path("db", stem_of(options.db), ".db" + encoding.suffix(), created_at);
    // 4. Snapshot into a hidden temp file: a kill from here on leaves only a temp, which is no backup.
    //    An encoded backup snapshots into a private scratch directory instead: plaintext never lands in
    //    a repository that is meant to leave the machine.
    std::optional<ScratchDirectory> scratch;
    if (encoding.any()) scratch.emplace("soniabk-backup");
    const TempFileGuard temp(scratch ? scratch->path() / "snapshot.db" : temp_path_for(target));
    options.progress->begin("snapshot", 0);  // the backup API is one step: bytes only for --method copy
    const SnapshotInfo snapshot =
        take_snapshot(options.db, temp.path(), options.method, options.busy_timeout, *options.progress);
    options.progress->end();
    fault::point("backup.after_snapshot");
    // 5. The snapshot is final from here on; the slow parts overlap the check below, all reading it back
    //    from the page cache: for a plain backup the kernel writes it back (fsync) while one thread hashes
    //    it; an encoded one is streamed through zstd / AES-256-GCM into a hidden temp beside the target,
    //    hashed on the way. A throw below waits for them before the temp files are removed.
    std::optional<TempFileGuard> stored_temp;
    std::future<void> flushed;
    std::future<FileDigest> hashed;
    std::future<EncodedStream> encoding_done;
    if (encoding.any()) {
        stored_temp.emplace(temp_path_for(target));
        encoding_done = std::async(std::launch::async, [&] { return encode_file(temp.path(), stored_temp->path(), encoding); });
    } else {
        flushed = std::async(std::launch::async, [&] { platform::sync_file(temp.path()); });
        hashed = std::async(std::launch::async, [&] { return hash_file(temp.path(), *options.progress); });
    }
    // 6. Check the snapshot before it can count as a backup.
    const CheckRecord check = check_database(temp.path(), options.check);
    if (check.result != "ok" && check.result != "skipped") {
        throw check_failed(ErrorCode::check_failed,
                           fmt::format("{}: snapshot failed {}_check: {}", options.db.string(), check.mode, check.result),
                           options.db);
    }
    // 7. Describe it from the snapshot itself, so the manifest matches what is stored.
    DatabaseInfo info = describe_database(temp.path(), snapshot.source_journal_mode);
    // 8. Publish the stored file once hashed and durable: atomic rename, fsync of the directory; owner-only.
    std::optional<EncodedStream> encoded;
    FileDigest digest;
    if (encoding.any()) {
        encoded = encoding_done.get();
        digest = encoded->stored;
        fault::point("backup.after_encode");
        publish(stored_temp->path(), target);
    } else {
        digest = hashed.get();
        flushed.get();
        platform::make_owner_only(temp.path());
        publish(temp.path(), target);
    }
    fault::point("backup.after_data_published");
    // 9. The manifest goes last: until it exists the backup is incomplete, never complete-looking.
    Manifest manifest;
    manifest.backup_id = new_backup_id(created_at);
    manifest.kind = "db";
    manifest.label = options.label;
    manifest.created_at = created_at;
    manifest.source = fs::absolute(options.db).lexically_normal().string();
    manifest.method = std::string(to_string(options.method));
    manifest.file = target.filename().string();
    manifest.size_bytes = digest.size_bytes;
    manifest.sha256 = digest.sha256;
    manifest.tool_version = tool_version;
    manifest.set_id = options.set_id;
    manifest.database = std::move(info);
    manifest.check = check;
    if (encoded) record_encoding(manifest, *encoded);
    manifest.duration_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const fs::path manifest_path = manifest_path_for(target);
    write_manifest(manifest_path, manifest);
    return {std::move(manifest), target, manifest_path};
}

}  // namespace

Json BackupResult::to_json() const {
    return {{"ok", true},
            {"backup_id", manifest.backup_id},
            {"timestamp", format_iso8601(manifest.created_at)},
            {"path", path.string()},
            {"manifest_path", manifest_path.string()},
            {"manifest", manifest.to_json()}};
}

BackupResult backup_database(const BackupDbOptions& options) {
    if (options.label.empty() || options.label.find_first_of("/\\\n") != std::string::npos) {
        throw usage_error(fmt::format("label '{}' must be a non-empty single word", options.label));
    }
    const Repository repo = Repository::create_or_open(options.repo);
    return run_journaled(
        repo.journal_path(), "backup db", *options.clock, [&] { return run_backup(options, repo); },
        [&](const BackupResult& result) {
            return Json{{"backup_id", result.manifest.backup_id},
                        {"kind", "db"},
                        {"label", options.label},
                        {"size_bytes", result.manifest.size_bytes}};
        });
}

}  // namespace soniabk
