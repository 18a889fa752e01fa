#include "commands/backup.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "base/steps.hpp"
#include "io/hash.hpp"
#include "repo/journaled.hpp"
#include "platform/files.hpp"
#include "repo/repository.hpp"
#include "io/scratch.hpp"
#include "sqlite/sqlite.hpp"
#include "base/version.hpp"

#include <fmt/format.h>

#include <future>

namespace soniabk {

namespace {

std::string stem_of(const fs::path& db) {
    const std::string stem = db.stem().string();
    return stem.empty() ? std::string("database") : stem;
}

BackupResult run_backup(const BackupDbOptions& options, const Repository& repo) {
    const auto started = std::chrono::steady_clock::now();
    // 1. Refuse a missing or foreign source, and settle the key, before anything is written.
    require_sqlite_file(options.db);
    const Encoding encoding = Encoding::resolve(options.codec);
    repo.require_accepts(encoding);
    // 2. One writer per repository at a time: names, ids and prune decisions cannot race.
    StepTimer locking(*options.trace, "lock");
    const RepositoryLock lock = repo.lock_for_writing("backup db", options.lock_wait, *options.progress);
    locking.done(StepOutcome::pass(repo.root().string()));
    // 3. Name the backup after the moment its snapshot begins (UTC), unique within the second.
    const TimePoint created_at = options.clock->now();
    if (options.format.value_or(default_backup_format(repo)) == BackupFormat::pages) {
        return backup_into_pages(options, repo, encoding, stem_of(options.db), created_at);
    }
    const std::string key = repo.allocate_data_key("db", stem_of(options.db), ".db" + encoding.suffix(), created_at);
    const fs::path target = repo.storage().location(key);
    // 4. Snapshot into the new object's hidden temp when it can be written by path: a kill from here on
    //    leaves only a temp, which is no backup. Otherwise (encoded, or storage without local files) into a
    //    private scratch directory: plaintext never lands in a repository that is meant to leave the machine.
    const std::unique_ptr<storage::NewObject> stored = repo.storage().create(key, storage::Overwrite::never);
    const bool in_place = !encoding.any() && repo.storage().has(storage::Capability::local_paths);
    std::optional<ScratchDirectory> scratch;
    if (!in_place) scratch.emplace("soniabk-backup");
    const fs::path snapshot_file = in_place ? *stored->local_path() : scratch->path() / "snapshot.db";
    StepTimer snapshotting(*options.trace, "snapshot");
    options.progress->begin("snapshot", 0);  // the backup API is one step: bytes only for --method copy
    const SnapshotInfo snapshot =
        take_snapshot(options.db, snapshot_file, options.method, options.busy_timeout, *options.progress);
    options.progress->end();
    snapshotting.done(StepOutcome::pass(
        fmt::format("{} by {} ({} bytes)", options.db.string(), to_string(options.method), fs::file_size(snapshot_file))));
    fault::point("backup.after_snapshot");
    // 5. The snapshot is final from here on; the slow parts overlap the check below, all reading it back
    //    from the page cache: in place, the kernel writes it back (fsync) while one thread hashes it;
    //    otherwise it is streamed (through zstd / AES-256-GCM when asked) into the new object, hashed on
    //    the way. A throw below waits for them before the temp files are removed.
    std::future<void> flushed;
    std::future<FileDigest> hashed;
    std::future<EncodedStream> encoding_done;
    if (in_place) {
        flushed = std::async(std::launch::async, [&] { platform::sync_file(snapshot_file); });
        hashed = std::async(std::launch::async, [&] { return hash_file(snapshot_file, *options.progress); });
    } else {
        encoding_done = std::async(std::launch::async, [&] {
            return encode_file(snapshot_file, stored->sink(), encoding, *options.progress);
        });
    }
    // 6. Check the snapshot before it can count as a backup.
    StepTimer checking(*options.trace, "check");
    const CheckRecord check = check_database(snapshot_file, options.check);
    checking.done(check.result == "ok" || check.result == "skipped" ? StepOutcome::pass(check.mode + ": " + check.result)
                                                                    : StepOutcome::fail(check.mode + ": " + check.result));
    if (check.result != "ok" && check.result != "skipped") {
        throw check_failed(ErrorCode::check_failed,
                           fmt::format("{}: snapshot failed {}_check: {}", options.db.string(), check.mode, check.result),
                           options.db);
    }
    // 7. Describe it from the snapshot itself, so the manifest matches what is stored.
    DatabaseInfo info = describe_database(snapshot_file, snapshot.source_journal_mode);
    // 8. Publish the stored object once hashed and durable: owner-only, atomic rename, fsync of the directory.
    StepTimer storing(*options.trace, "store");
    std::optional<EncodedStream> encoded;
    FileDigest digest;
    if (in_place) {
        digest = hashed.get();
        flushed.get();
    } else {
        encoded = encoding_done.get();
        digest = encoded->stored;
        fault::point("backup.after_encode");
    }
    stored->set_sha256(digest.sha256);
    stored->publish();
    storing.done(StepOutcome::pass(fmt::format("{} ({} bytes, sha256 {})", target.filename().string(), digest.size_bytes,
                                               digest.sha256)));
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
    StepTimer describing(*options.trace, "manifest");
    const std::string manifest_key = write_manifest(repo.storage(), key, manifest);
    describing.done(StepOutcome::pass(manifest.backup_id));
    return {std::move(manifest), target, repo.storage().location(manifest_key), repo.adopted()};
}

// The off-site copy of a backup that is complete and stays so: a failed copy fails the run (exit 3)
// but takes nothing back.
CopyResult copy_new_backup(const BackupDbOptions& options, const BackupResult& result) {
    CopyOptions copy;
    copy.from = options.repo;
    copy.to = *options.copy_to;
    copy.selection = CopySelection::ids;
    copy.ids = {result.manifest.backup_id};
    copy.lock_wait = options.lock_wait;
    copy.clock = options.clock;
    copy.progress = options.progress;
    copy.trace = options.trace;
    try {
        return copy_backups(copy);
    } catch (const Error& e) {
        throw runtime_error(e.code_id(),
                            fmt::format("backup {} is complete in {}, but copying it to {} failed: {}",
                                        result.manifest.backup_id, options.repo.string(), options.copy_to->string(), e.what()),
                            e.path());
    }
}

}  // namespace

Json BackupResult::to_json() const {
    return {{"ok", true},
            {"backup_id", manifest.backup_id},
            {"timestamp", format_iso8601(manifest.created_at)},
            {"path", path.string()},
            {"manifest_path", manifest_path.string()},
            {"manifest", manifest.to_json()},
            {"repository_adopted", repository_adopted},
            {"copy", copy ? copy->to_json() : Json(nullptr)}};
}

BackupResult backup_database(const BackupDbOptions& options) {
    if (options.label.empty() || options.label.find_first_of("/\\\n") != std::string::npos) {
        throw usage_error(fmt::format("label '{}' must be a non-empty single word", options.label));
    }
    const Repository repo = Repository::open_for_writing(options.repo, *options.clock);
    BackupResult result = run_journaled(
        repo.storage(), "backup db", *options.clock, [&] { return run_backup(options, repo); },
        [&](const BackupResult& done) {
            return Json{{"backup_id", done.manifest.backup_id},
                        {"kind", "db"},
                        {"label", options.label},
                        {"size_bytes", done.manifest.size_bytes}};
        });
    if (options.copy_to) result.copy = copy_new_backup(options, result);
    return result;
}

BackupResult backup_before_change(const fs::path& repo, const fs::path& db, const std::string& label,
                                  Duration busy_timeout, const Clock& clock) {
    BackupDbOptions backup;
    backup.repo = repo;
    backup.db = db;
    backup.label = label;
    backup.busy_timeout = busy_timeout;
    backup.clock = &clock;
    return backup_database(backup);
}

}  // namespace soniabk
