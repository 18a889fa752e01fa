#include "sqlite/snapshot.hpp"

#include "sqlite/bulk_write_vfs.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/hash.hpp"
#include "platform/files.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <vector>

namespace soniabk {

namespace {

// Opens the live database for reading only, with a read transaction that pins the snapshot point.
Database open_source_pinned(const fs::path& source, Duration busy_timeout) {
    require_sqlite_file(source);
    Database db = Database::open(source, Database::Mode::read_write, busy_timeout);
    db.exec("PRAGMA query_only=1");
    db.exec("BEGIN");
    db.query_int("SELECT count(*) FROM sqlite_master");  // the first read starts the read transaction
    return db;
}

std::string journal_mode(Database& db) { return db.query_text("PRAGMA journal_mode").value_or("unknown"); }

// Streams `from` into a new file `to` (not fsynced: it is folded and published later); only the bytes
// present when each read happens. `copied` counts the bytes across files, for progress.
void copy_file_contents(const fs::path& from, const fs::path& to, Progress& progress, std::uint64_t& copied) {
    platform::InputFile in(from);
    auto out = platform::OutputFile::create_new(to);
    std::vector<char> buffer(stream_chunk_bytes);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) {
        out.write(buffer.data(), n);
        progress.advance(copied += n);
        fault::point("snapshot.copy_chunk");
    }
    out.close();
}

// Converts a snapshot to a single self-contained file: WAL checkpointed in, rollback journal mode.
void make_self_contained(const fs::path& destination) {
    {
        Database db = Database::open(destination, Database::Mode::read_write);
        // No syncs here: the temp file is made durable once, when it is published.
        db.exec("PRAGMA synchronous=OFF");
        if (journal_mode(db) == "wal") db.exec("PRAGMA journal_mode=DELETE");
    }
    std::error_code ignored;
    fs::remove(destination.string() + "-wal", ignored);
    fs::remove(destination.string() + "-shm", ignored);
}

SnapshotInfo snapshot_with_backup_api(const fs::path& source, const fs::path& destination, Duration busy_timeout) {
    Database src = open_source_pinned(source, busy_timeout);
    SnapshotInfo info{journal_mode(src)};
    // The destination is a private temp file: no journal, no syncs until soniabk fsyncs it once, and its
    // page-sized writes gathered into large ones.
    Database dst = Database::open(destination, Database::Mode::create, busy_timeout, bulk_write_vfs());
    dst.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE");
    sqlite3_backup* backup = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
    if (backup == nullptr) dst.fail(sqlite3_errcode(dst.handle()), "start backup");
    // -1: every page in one step, so the copy never restarts under concurrent writers.
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        const bool source_side = rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_NOTADB ||
                                 rc == SQLITE_CORRUPT;
        (source_side ? src : dst).fail(rc, "backup");
    }
    if (const int flushed = flush_bulk_writes(dst.handle()); flushed != SQLITE_OK) {
        throw io_error("write", destination, (flushed & 0xff) == SQLITE_FULL ? ENOSPC : EIO);
    }
    src.exec("COMMIT");
    return info;
}

SnapshotInfo snapshot_with_copy(const fs::path& source, const fs::path& destination, Duration busy_timeout,
                                Progress& progress) {
    // The read transaction keeps checkpoints from moving frames past it and the WAL from restarting,
    // so the database file plus the frames copied after it replay to a consistent state.
    Database src = open_source_pinned(source, busy_timeout);
    SnapshotInfo info{journal_mode(src)};
    std::uint64_t copied = 0;
    copy_file_contents(source, destination, progress, copied);
    const fs::path wal = source.string() + "-wal";
    std::error_code ec;
    if (fs::exists(wal, ec)) copy_file_contents(wal, destination.string() + "-wal", progress, copied);
    src.exec("COMMIT");
    return info;
}

SnapshotInfo snapshot_with_vacuum(const fs::path& source, const fs::path& destination, Duration busy_timeout) {
    require_sqlite_file(source);
    Database src = Database::open(source, Database::Mode::read_write, busy_timeout);
    SnapshotInfo info{journal_mode(src)};
    Statement vacuum = src.prepare("VACUUM INTO ?1");
    vacuum.bind(1, destination.string());
    vacuum.step();
    return info;
}

}  // namespace

std::optional<SnapshotMethod> parse_snapshot_method(std::string_view text) {
    if (text == "backup" || text == "backup_api") return SnapshotMethod::backup_api;
    if (text == "copy") return SnapshotMethod::copy;
    if (text == "vacuum") return SnapshotMethod::vacuum;
    return std::nullopt;
}

std::string_view to_string(SnapshotMethod method) {
    switch (method) {
        case SnapshotMethod::backup_api: return "backup";
        case SnapshotMethod::copy: return "copy";
        case SnapshotMethod::vacuum: return "vacuum";
    }
    return "backup";
}

std::optional<CheckMode> parse_check_mode(std::string_view text) {
    if (text == "none") return CheckMode::none;
    if (text == "quick") return CheckMode::quick;
    if (text == "full") return CheckMode::full;
    return std::nullopt;
}

std::string_view to_string(CheckMode mode) {
    switch (mode) {
        case CheckMode::none: return "none";
        case CheckMode::quick: return "quick";
        case CheckMode::full: return "full";
    }
    return "none";
}

SnapshotInfo take_snapshot(const fs::path& source, const fs::path& destination, SnapshotMethod method,
                           Duration busy_timeout, Progress& progress) {
    SnapshotInfo info;
    switch (method) {
        case SnapshotMethod::backup_api: info = snapshot_with_backup_api(source, destination, busy_timeout); break;
        case SnapshotMethod::copy: info = snapshot_with_copy(source, destination, busy_timeout, progress); break;
        case SnapshotMethod::vacuum: info = snapshot_with_vacuum(source, destination, busy_timeout); break;
    }
    make_self_contained(destination);
    return info;
}

CheckRecord check_database(const fs::path& database, CheckMode mode) {
    if (mode == CheckMode::none) return {"none", "skipped"};
    Database db = Database::open(database, Database::Mode::read_only);
    Statement stmt = db.prepare(mode == CheckMode::full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    std::string findings;
    while (stmt.step()) findings += (findings.empty() ? "" : "; ") + stmt.column_text(0);
    return {std::string(to_string(mode)), findings.empty() ? "no result" : findings};
}

DatabaseInfo describe_database(const fs::path& database, std::string source_journal_mode) {
    Database db = Database::open(database, Database::Mode::read_only);
    return describe_open_database(db, std::move(source_journal_mode));
}

DatabaseInfo describe_open_database(Database& db, std::string source_journal_mode) {
    DatabaseInfo info;
    info.sqlite_version = sqlite_library_version();
    info.page_size = db.query_int("PRAGMA page_size").value_or(0);
    info.page_count = db.query_int("PRAGMA page_count").value_or(0);
    info.source_journal_mode = std::move(source_journal_mode);
    info.user_version = db.query_int("PRAGMA user_version").value_or(0);
    if (db.has_table("schema_version")) {
        const char* order = db.has_column("schema_version", "version") ? "version DESC, rowid DESC" : "rowid DESC";
        Statement row = db.prepare(fmt::format("SELECT * FROM schema_version ORDER BY {} LIMIT 1", order));
        if (row.step()) {
            Json latest = Json::object();
            for (int i = 0; i < row.column_count(); ++i) {
                if (row.is_null(i)) latest[row.column_name(i)] = nullptr;
                else if (row.is_integer(i)) latest[row.column_name(i)] = row.column_int(i);
                else latest[row.column_name(i)] = row.column_text(i);
            }
            info.schema_version = std::move(latest);
        }
    }
    if (db.has_table("memories")) {
        const bool soft_delete = db.has_column("memories", "archived_at");
        // Two counts SQLite can answer from an index (the smallest one; one on archived_at or a partial
        // index of live rows) instead of one count(archived_at) that must read every row.
        Statement counts = db.prepare(soft_delete ? "SELECT (SELECT count(*) FROM memories),"
                                                    " (SELECT count(*) FROM memories WHERE archived_at IS NULL)"
                                                  : "SELECT count(*), count(*) FROM memories");
        counts.step();
        info.memories = MemoryCounts{counts.column_int(0), counts.column_int(0) - counts.column_int(1)};
    }
    return info;
}

}  // namespace soniabk
