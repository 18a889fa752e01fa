#include "sqlite/swap.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/hash.hpp"
#include "platform/files.hpp"
#include "platform/processes.hpp"
#include "sqlite/lock_holder.hpp"
#include "sqlite/sqlite.hpp"
#include "platform/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace soniabk {

namespace {

std::uint64_t size_or_zero(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

fs::path directory_of(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

void remove_if_present(const fs::path& path) {
    std::error_code ec;
    if (!fs::remove(path, ec) && ec && ec != std::errc::no_such_file_or_directory) {
        const int error = platform::errno_of(ec);
        // EBUSY: a file another process has open, which Windows will not remove (a sharing violation).
        if (error == EBUSY) throw platform::in_use_error(path);
        throw io_error("remove", path, error);
    }
}

// A durable byte copy under a temp name, published as `to`: for filesystems without hard links.
void copy_durably(const fs::path& from, const fs::path& to) {
    AtomicFile out(to);
    platform::InputFile in(from);
    std::vector<char> buffer(stream_chunk_bytes);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) out.out().write(buffer.data(), n);
    out.commit();
}

void link_or_copy(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec == std::errc::file_exists) throw io_error("link", to, EEXIST);
    if (ec) copy_durably(from, to);
}

}  // namespace

TargetFiles inspect_target(const fs::path& db) {
    TargetFiles files{db};
    std::error_code ec;
    files.exists = fs::exists(db, ec);
    files.db_bytes = size_or_zero(db);
    files.wal_bytes = size_or_zero(files.wal());
    files.journal_bytes = size_or_zero(files.journal());
    return files;
}

std::optional<std::string> database_in_use(const fs::path& db) {
    const TargetFiles files{db};
    for (const fs::path& path : {files.db, files.wal(), files.shm()}) {
        std::error_code ec;
        if (!fs::exists(path, ec)) continue;
        if (auto who = platform::process_holding_open(path)) return fmt::format("{} has {} open", *who, path.string());
    }
    if (auto who = sqlite_lock_holder(db)) {
        return fmt::format("{} holds a SQLite lock on {}", *who, db.string());
    }
    return std::nullopt;
}

platform::FileLock lock_for_restore(const fs::path& db) {
    const fs::path path = directory_of(db) / fmt::format(".{}.restore.lock", db.filename().string());
    auto lock = platform::FileLock::try_acquire(path, platform::LockMode::exclusive);
    if (!lock) {
        throw runtime_error(ErrorCode::locked, fmt::format("{}: another soniabk restore of {} is running", path.string(),
                                                  db.string()), path);
    }
    lock->describe_holder(fmt::format("soniabk pid {} (restore)\n", platform::current_process_id()));
    return std::move(*lock);
}

std::vector<fs::path> remove_stale_temps(const fs::path& db) {
    const std::string prefix = fmt::format(".{}.tmp-", db.filename().string());
    std::vector<fs::path> removed;
    std::error_code ec;
    for (const auto& item : fs::directory_iterator(directory_of(db), ec)) {
        const std::string name = item.path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const int pid = std::atoi(name.c_str() + prefix.size());  // stops at a "-wal" / "-journal" suffix
        if (pid <= 0 || platform::process_exists(pid)) continue;
        remove_if_present(item.path());
        removed.push_back(item.path());
    }
    return removed;
}

SettleResult settle_database(const fs::path& db) {
    const TargetFiles before = inspect_target(db);
    if (!before.exists) return {true, "no database at the target"};
    if (before.wal_bytes == 0 && before.journal_bytes == 0) return {true, "self-contained: no WAL or journal"};
    std::int64_t busy = 0;
    try {
        Database live = Database::open(db, Database::Mode::read_write, std::chrono::seconds(2));
        live.query_int("SELECT count(*) FROM sqlite_master");  // reading rolls back a hot journal
        if (before.wal_bytes > 0) {
            Statement checkpoint = live.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
            checkpoint.step();
            busy = checkpoint.column_int(0);
        }
    } catch (const Error& e) {
        return {false, fmt::format("SQLite cannot fold the old WAL/journal in ({}): keeping them with it", e.what())};
    }
    const TargetFiles after = inspect_target(db);
    if (busy != 0 || after.wal_bytes != 0) {
        return {false, fmt::format("the old WAL could not be checkpointed completely ({} bytes left): keeping it "
                                   "with the old database", after.wal_bytes)};
    }
    if (before.wal_bytes > 0) return {true, fmt::format("folded {} bytes of WAL into the main file", before.wal_bytes)};
    return {true, "rolled back the hot journal"};
}

fs::path replaced_path_for(const fs::path& db, TimePoint at) {
    const std::string stem = db.stem().string();
    const std::string extension = db.has_extension() ? db.extension().string() : ".db";
    const std::string base = fmt::format("{}-replaced-{}", stem, format_compact(at));
    for (int n = 1;; ++n) {
        const fs::path candidate =
            db.parent_path() / (n == 1 ? base + extension : fmt::format("{}-{}{}", base, n, extension));
        std::error_code ec;
        if (!fs::exists(candidate, ec) && !fs::exists(candidate.string() + "-wal", ec)) return candidate;
    }
}

namespace {

// "YYYYMMDD-HHMMSS" optionally followed by "-N": what replaced_path_for puts between the stem and the extension.
bool is_replaced_stamp(std::string_view s) {
    const auto digits = [](std::string_view part) {
        return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (s.size() < 15 || !digits(s.substr(0, 8)) || s[8] != '-' || !digits(s.substr(9, 6))) return false;
    return s.size() == 15 || (s[15] == '-' && digits(s.substr(16)));
}

}  // namespace

std::vector<ReplacedDatabase> find_replaced(const fs::path& db) {
    const std::string prefix = db.stem().string() + "-replaced-";
    const std::string extension = db.has_extension() ? db.extension().string() : ".db";
    std::vector<ReplacedDatabase> found;
    std::error_code ec;
    for (const auto& item : fs::directory_iterator(directory_of(db), ec)) {
        const std::string name = item.path().filename().string();
        if (!name.starts_with(prefix) || !name.ends_with(extension) || name.size() < prefix.size() + extension.size()) continue;
        if (!is_replaced_stamp(std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - extension.size()))) continue;
        ReplacedDatabase r{item.path(), {item.path()}, size_or_zero(item.path())};
        for (const char* suffix : {"-wal", "-journal", "-shm"}) {
            const fs::path side = item.path().string() + suffix;
            if (!fs::exists(side, ec)) continue;
            r.files.push_back(side);
            r.bytes += size_or_zero(side);
        }
        found.push_back(std::move(r));
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return found;
}

void remove_replaced(const ReplacedDatabase& replaced) {
    // Sidecars first: after a crash the database is still there, so find_replaced still finds what is left.
    for (auto it = replaced.files.rbegin(); it != replaced.files.rend(); ++it) remove_if_present(*it);
    platform::sync_directory(directory_of(replaced.path));
}

std::vector<fs::path> keep_aside(const fs::path& db, const fs::path& replaced, Sidecars sidecars) {
    const TargetFiles files = inspect_target(db);
    std::vector<fs::path> kept;
    link_or_copy(db, replaced);
    kept.push_back(replaced);
    fault::point("restore.keep_aside.linked");
    if (sidecars == Sidecars::keep) {
        for (const auto& [from, suffix] : {std::pair{files.wal(), "-wal"}, std::pair{files.journal(), "-journal"}}) {
            if (size_or_zero(from) == 0) continue;
            link_or_copy(from, replaced.string() + suffix);
            kept.push_back(replaced.string() + suffix);
        }
    }
    platform::sync_directory(directory_of(db));
    return kept;
}

void swap_into_place(const fs::path& temp, const fs::path& db) {
    const TargetFiles files = inspect_target(db);
    // The service must be able to open its restored database exactly as it could the old one.
    if (files.exists) platform::copy_owner_and_mode(db, temp);
    remove_if_present(files.wal());
    remove_if_present(files.journal());
    remove_if_present(files.shm());
    // The removals must be on disk before the rename: a stale WAL beside the new database would corrupt it.
    platform::sync_directory(directory_of(db));
    fault::point("restore.swap.sidecars_removed");
    publish(temp, db);
}

}  // namespace soniabk
