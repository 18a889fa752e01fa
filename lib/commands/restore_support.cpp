#include "commands/restore_support.hpp"
#include "commands/verify.hpp"

#include "base/error.hpp"
#include "sqlite/sqlite.hpp"
#include "sqlite/swap.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk {

namespace {

std::string mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

// The backups of the database a restore replaces: those taken of that very path, else (a move to a new
// host or directory) those of a file with its name; never another database's (`inuse-1.db` over `memory.db`).
std::vector<BackupEntry> backups_of(const std::vector<BackupEntry>& entries, const fs::path& target) {
    const auto of = [&](auto same) {
        std::vector<BackupEntry> found;
        for (const auto& e : entries) {
            if (e.manifest && e.kind == "db" && same(fs::path(e.manifest->source))) found.push_back(e);
        }
        return found;
    };
    std::vector<BackupEntry> found = of([&](const fs::path& source) { return source == target; });
    if (found.empty()) found = of([&](const fs::path& source) { return source.filename() == target.filename(); });
    return found;
}

// The newest complete database backup whose stored bytes match its manifest, other than `except`.
const BackupEntry* newest_good(const std::vector<BackupEntry>& entries, const std::string& except) {
    for (const auto& entry : entries) {
        if (!entry.is_complete() || entry.kind != "db" || entry.id() == except) continue;
        if (verify_backup(entry, VerifyDepth::stored).ok) return &entry;
    }
    return nullptr;
}

// "/srv/a.db, /srv/b.db": what the repository holds backups of, for the message when none is of the target.
std::string sources_of(const std::vector<BackupEntry>& entries) {
    std::vector<std::string> sources;
    for (const auto& e : entries) {
        if (e.manifest && e.kind == "db" && std::find(sources.begin(), sources.end(), e.manifest->source) == sources.end()) {
            sources.push_back(e.manifest->source);
        }
    }
    std::string text;
    for (const auto& source : sources) text += (text.empty() ? "" : ", ") + source;
    return text;
}

}  // namespace

RestoreOptions normalised(const RestoreOptions& options) {
    if (options.repo.empty()) throw usage_error("no repository: pass --repo DIR or set SONIABK_REPO");
    if (options.target.empty()) throw usage_error("no database to restore into: pass --db PATH or set SONIABK_DB");
    if (options.selection == RestoreSelection::id && options.id.empty()) throw usage_error("an empty backup id matches nothing");
    RestoreOptions result = options;
    std::error_code ec;
    result.target = fs::absolute(options.target).lexically_normal();
    if (fs::is_symlink(result.target, ec)) result.target = fs::weakly_canonical(result.target, ec);
    const fs::path dir = result.target.parent_path().empty() ? fs::path(".") : result.target.parent_path();
    if (!fs::is_directory(dir, ec)) {
        throw runtime_error(ErrorCode::target_dir_missing,
                            fmt::format("{}: no such directory to restore {} into", dir.string(),
                                        result.target.filename().string()),
                            dir);
    }
    return result;
}

BackupEntry choose_backup(const RestoreOptions& options) {
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    const std::vector<BackupEntry> of_target = backups_of(entries, fs::absolute(options.target).lexically_normal());
    const BackupEntry* chosen = nullptr;
    switch (options.selection) {
        case RestoreSelection::id: chosen = &find_backup(entries, options.id); break;
        case RestoreSelection::latest: chosen = newest_complete(of_target, "db"); break;
        case RestoreSelection::at: chosen = newest_db_at_or_before(of_target, options.at); break;
        case RestoreSelection::latest_good: chosen = newest_good(of_target, ""); break;
    }
    if (chosen == nullptr && of_target.empty() && newest_complete(entries, "db") != nullptr) {
        throw runtime_error(ErrorCode::no_backup,
                            fmt::format("{}: no backup of {} (the repository holds backups of {}): name one by its id",
                                        options.repo.string(), options.target.string(), sources_of(entries)));
    }
    if (chosen == nullptr && options.selection == RestoreSelection::latest_good) {
        throw runtime_error(ErrorCode::no_backup,
                            fmt::format("{}: no backup of {} whose stored file verifies", options.repo.string(),
                                        options.target.string()));
    }
    if (chosen == nullptr) {
        throw runtime_error(ErrorCode::no_backup, options.selection == RestoreSelection::at
                                             ? fmt::format("{}: no complete database backup taken at or before {}",
                                                           options.repo.string(), format_iso8601(options.at))
                                             : fmt::format("{}: no complete database backup to restore",
                                                           options.repo.string()));
    }
    if (chosen->kind != "db") {
        throw usage_error(fmt::format("backup {} is a {} backup, not a database backup", chosen->id(), chosen->kind));
    }
    if (!chosen->is_complete()) {
        throw check_failed(ErrorCode::backup_incomplete, fmt::format("{}: {}", chosen->data_path.string(), chosen->problem),
                           chosen->data_path);
    }
    return *chosen;
}

std::string newest_good_hint(const RestoreOptions& options, const std::string& damaged_id) {
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    const auto of_target = backups_of(entries, fs::absolute(options.target).lexically_normal());
    const BackupEntry* good = newest_good(of_target, damaged_id);
    if (good == nullptr) return "; no other backup of this database verifies";
    return fmt::format("; the newest backup of this database that verifies is {} taken {} (restore it with "
                       "--latest-good or by its id)",
                       good->id(), format_iso8601(good->time));
}

std::string describe_choice(const BackupEntry& entry, RestoreResult& result) {
    result.backup_id = entry.id();
    result.backup_path = entry.data_path;
    result.backup_created_at = entry.time;
    return fmt::format("{} taken {} ({}, {})", entry.id(), format_iso8601(entry.time),
                       entry.data_path.filename().string(), mib(entry.manifest->size_bytes));
}

std::string require_space(const fs::path& target, const BackupEntry& entry, RestoreResult& result) {
    const TargetFiles files = inspect_target(target);
    const Manifest& m = *entry.manifest;
    const std::uint64_t copy = m.content ? m.content->size_bytes : m.size_bytes;  // decoded size when encoded
    const std::uint64_t replaced = files.db_bytes + files.wal_bytes + files.journal_bytes;
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    result.space_needed_bytes = copy + replaced;
    result.space_available_bytes = platform::free_space(dir);
    const std::string sizes = fmt::format("{} needed for the copy ({}) plus the replaced copy ({})",
                                          mib(result.space_needed_bytes), mib(copy), mib(replaced));
    if (result.space_available_bytes < result.space_needed_bytes) {
        throw runtime_error(ErrorCode::no_space,
                            fmt::format("{}: only {} free, {}", dir.string(), mib(result.space_available_bytes), sizes),
                            dir);
    }
    return fmt::format("{} free, {}", mib(result.space_available_bytes), sizes);
}

StepOutcome check_copy(const fs::path& copy, CheckMode mode) {
    if (mode == CheckMode::none) return StepOutcome::skip("--check none");
    const CheckRecord record = check_database(copy, mode);
    if (record.result != "ok") {
        throw check_failed(ErrorCode::integrity_check_failed,
                           fmt::format("{}: the restored copy failed {}: {}", copy.string(),
                                       mode == CheckMode::full ? "integrity_check" : "quick_check", record.result),
                           copy);
    }
    return StepOutcome::pass(mode == CheckMode::full ? "integrity_check: ok" : "quick_check: ok");
}

StepOutcome restore_journal_mode(const fs::path& copy, const BackupEntry& entry, const fs::path& target) {
    const auto& database = entry.manifest->database;
    // An encrypted backup's manifest keeps no database facts: follow the database being replaced.
    const std::string mode = database ? database->source_journal_mode
                             : is_wal_database(target) ? std::string("wal")
                                                       : std::string("unknown");
    if (mode != "wal") return StepOutcome::skip(fmt::format("source journal mode '{}': kept as stored", mode));
    Database db = Database::open(copy, Database::Mode::read_write);
    db.exec("PRAGMA journal_mode=WAL");
    return StepOutcome::pass("WAL, as the source was");
}

StepOutcome require_target_free(const fs::path& target, TargetInUse in_use) {
    if (!inspect_target(target).exists) return StepOutcome::pass("no database at the target");
    const auto who = database_in_use(target);
    if (!who) return StepOutcome::pass("no other process has it open");
    if (in_use == TargetInUse::replace_anyway) return StepOutcome::pass(fmt::format("--force: {}; replacing it anyway", *who));
    throw runtime_error(ErrorCode::target_in_use,
                        fmt::format("{}: refusing to restore: {} (stop it first, e.g. with --stop-cmd, or pass --force)",
                                    target.string(), *who),
                        target);
}

platform::EnvironmentAdditions service_environment(const RestoreOptions& options, const BackupEntry& entry) {
    return {{"SONIABK_TARGET_DB", options.target.string()}, {"SONIABK_BACKUP_ID", entry.id()}};
}

}  // namespace soniabk
