#include "verify.hpp"

#include "error.hpp"
#include "hash.hpp"
#include "journal.hpp"
#include "snapshot.hpp"
#include "state.hpp"

#include <fmt/format.h>

namespace soniabk {

Json CheckOutcome::to_json() const { return {{"name", name}, {"ok", ok}, {"detail", detail}}; }

void BackupVerification::add(CheckOutcome check) {
    ok = ok && check.ok;
    checks.push_back(std::move(check));
}

Json BackupVerification::to_json() const {
    Json list = Json::array();
    for (const auto& check : checks) list.push_back(check.to_json());
    return {{"backup_id", backup_id}, {"kind", kind}, {"path", path.string()}, {"ok", ok}, {"checks", list}};
}

namespace {

// A state snapshot is re-validated in one streaming pass and its counts compared with the manifest's.
CheckOutcome deep_check_state(const BackupEntry& entry) {
    try {
        const StateSummary summary = validate_state_file(entry.data_path);
        const StateInfo& info = *entry.manifest->state;
        StateCounts expected;
        expected[StateSection::sessions] = info.sessions_count;
        expected[StateSection::confirmations] = info.confirmations_count;
        expected[StateSection::dlq] = info.dlq_count;
        expected[StateSection::breakers] = info.breakers_count;
        if (summary.counts != expected) {
            return {"structure", false,
                    fmt::format("{}: holds {} but the manifest says {}", entry.data_path.string(), summary.counts.describe(),
                                expected.describe())};
        }
        return {"structure", true, summary.counts.describe()};
    } catch (const Error& e) {
        return {"structure", false, e.what()};
    }
}

CheckOutcome deep_check(const BackupEntry& entry) {
    if (entry.kind == "state" && entry.manifest && entry.manifest->state) return deep_check_state(entry);
    if (entry.kind != "db") return {"content", true, "no deep check for this kind"};
    try {
        const CheckRecord record = check_database(entry.data_path, CheckMode::full);
        return {"integrity_check", record.result == "ok", record.result};
    } catch (const Error& e) {
        return {"integrity_check", false, e.what()};
    }
}

}  // namespace

BackupVerification verify_backup(const BackupEntry& entry, bool deep) {
    BackupVerification v{entry.id(), entry.kind, entry.data_path, true, {}};
    if (!entry.is_complete()) {
        v.add({"manifest", false, entry.problem});
        return v;
    }
    v.add({"manifest", true, entry.manifest_path.filename().string()});
    const Manifest& m = *entry.manifest;
    std::error_code ec;
    if (!fs::is_regular_file(entry.data_path, ec)) {
        v.add({"data_present", false, fmt::format("{}: data file missing", entry.data_path.string())});
        return v;
    }
    v.add({"data_present", true, entry.data_path.filename().string()});
    const std::uint64_t size = fs::file_size(entry.data_path, ec);
    if (size != m.size_bytes) {
        v.add({"size", false, fmt::format("{} bytes on disk, manifest says {}", size, m.size_bytes)});
        return v;
    }
    v.add({"size", true, fmt::format("{} bytes", size)});
    try {
        const FileDigest digest = hash_file(entry.data_path);
        const bool match = digest.sha256 == m.sha256;
        v.add({"sha256", match,
               match ? digest.sha256 : fmt::format("{}: SHA-256 {} does not match the manifest's {}",
                                                   entry.data_path.string(), digest.sha256, m.sha256)});
    } catch (const Error& e) {
        v.add({"sha256", false, e.what()});
    }
    if (deep && v.ok) v.add(deep_check(entry));
    return v;
}

Json VerifyResult::to_json() const {
    Json list = Json::array();
    for (const auto& b : backups) list.push_back(b.to_json());
    Json repo_checks = Json::array();
    for (const auto& c : checks) repo_checks.push_back(c.to_json());
    return {{"ok", ok}, {"backups", list}, {"checks", repo_checks}};
}

namespace {

std::vector<const BackupEntry*> select_backups(const VerifyOptions& options, const std::vector<BackupEntry>& entries) {
    std::vector<const BackupEntry*> chosen;
    auto wanted_kind = [&](const BackupEntry& e) { return options.kind.empty() || e.kind == options.kind; };
    switch (options.selection) {
        case VerifySelection::ids:
            for (const auto& id : options.ids) chosen.push_back(&find_backup(entries, id));
            break;
        case VerifySelection::all:
            for (const auto& e : entries) {
                if (wanted_kind(e)) chosen.push_back(&e);
            }
            break;
        case VerifySelection::latest:
            for (const char* kind : {"db", "state"}) {
                if (!options.kind.empty() && options.kind != kind) continue;
                if (const BackupEntry* newest = newest_complete(entries, kind)) chosen.push_back(newest);
            }
            break;
    }
    return chosen;
}

VerifyResult run_verify(const VerifyOptions& options) {
    const Repository repo = Repository::open(options.repo);
    const std::vector<BackupEntry> entries = repo.scan();
    VerifyResult result;
    for (const BackupEntry* entry : select_backups(options, entries)) {
        result.backups.push_back(verify_backup(*entry, options.deep));
        result.ok = result.ok && result.backups.back().ok;
    }
    if (result.backups.empty()) {
        result.checks.push_back({"backups_present", false, fmt::format("{}: no backups to verify", options.repo.string())});
        result.ok = false;
    }
    if (options.max_age) {
        const BackupEntry* newest = newest_complete(entries, options.kind);
        CheckOutcome age{"max_age", false, "no complete backup"};
        if (newest) {
            const Duration elapsed = options.clock->now() - newest->time;
            age.ok = elapsed <= *options.max_age;
            age.detail = fmt::format("newest backup {} is {} old (limit {})", newest->id(),
                                     format_duration(std::chrono::floor<std::chrono::seconds>(elapsed)),
                                     format_duration(*options.max_age));
        }
        result.ok = result.ok && age.ok;
        result.checks.push_back(std::move(age));
    }
    return result;
}

}  // namespace

VerifyResult verify_repository(const VerifyOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    VerifyResult result = run_verify(options);
    JournalRecord record{"verify", options.clock->now(), result.ok};
    record.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Json failed = Json::array();
    for (const auto& b : result.backups) {
        if (!b.ok) failed.push_back(b.backup_id);
    }
    record.detail = {{"deep", options.deep}, {"verified", result.backups.size()}, {"failed", failed}};
    append_journal(Repository::open(options.repo).journal_path(), record);
    return result;
}

}  // namespace soniabk
