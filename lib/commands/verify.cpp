#include "commands/verify.hpp"
#include "repo/page_backups.hpp"

#include "repo/extract.hpp"

#include "repo/read_backup.hpp"
#include "base/error.hpp"
#include "base/steps.hpp"
#include "base/wording.hpp"
#include "io/hash.hpp"
#include "repo/journal.hpp"
#include "io/scratch.hpp"
#include "sqlite/snapshot.hpp"
#include "sonia/state.hpp"

#include <fmt/format.h>

namespace soniabk {

Json CheckOutcome::to_json() const { return {{"name", name}, {"passed", ok}, {"detail", detail}}; }

void BackupVerification::add(CheckOutcome check) {
    ok = ok && check.ok;
    checks.push_back(std::move(check));
}

Json BackupVerification::to_json() const {
    Json list = Json::array();
    for (const auto& check : checks) list.push_back(check.to_json());
    return {{"backup_id", backup_id}, {"kind", kind}, {"path", path.string()}, {"passed", ok}, {"checks", list}};
}

namespace {

// A state snapshot is re-validated in one streaming pass and its counts compared with the manifest's
// (an encrypted one records no counts: its manifest tells nothing about the content).
CheckOutcome state_structure_check(const BackupEntry& entry, const fs::path& state_file) {
    try {
        const StateSummary summary = validate_state_file(state_file);
        if (!entry.manifest->state) return {"structure", true, summary.counts.describe()};
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

CheckOutcome integrity_check(const fs::path& database) {
    try {
        const CheckRecord record = check_database(database, CheckMode::full);
        return {"integrity_check", record.result == "ok", record.result};
    } catch (const Error& e) {
        return {"integrity_check", false, e.what()};
    }
}

// What --deep checks in a plain file: integrity_check for databases, structure for state snapshots.
CheckOutcome content_check(const BackupEntry& entry, const fs::path& plain) {
    if (entry.kind == "state") return state_structure_check(entry, plain);
    if (entry.kind != "db") return {"content", true, "no deep check for this kind"};
    return integrity_check(plain);
}

// Decodes an encoded backup into a private temp file (removed afterwards) and checks what comes out.
void deep_check_encoded(const BackupEntry& entry, const KeyOptions& keys, BackupVerification& v, Progress& progress) {
    const Manifest& m = *entry.manifest;
    try {
        const ScratchDirectory scratch("soniabk-verify");
        const fs::path decoded = scratch.path() / ("decoded." + entry.kind);
        const DecodeReport report = decode_backup_to_file(entry, DecodeOptions{keys, true}, decoded, progress);
        std::string detail = fmt::format("{} bytes, content {} matches", report.output_bytes, report.content_check);
        if (m.encryption) detail += fmt::format("; {} encrypted chunks authenticated", report.chunks);
        v.add({"decode", true, detail});
        v.add(content_check(entry, decoded));
    } catch (const Error& e) {
        if (e.code_id() == ErrorCode::key_required) throw;  // a usage error (exit 2), as in restore, not a finding
        v.add({"decode", false, e.what()});
    }
}

// A page-store backup's map chain, and every page it needs indexed in a pack that is there.
void reachability_check(const BackupEntry& entry, const KeyOptions& keys, BackupVerification& v) {
    if (entry.manifest->encryption && !keys.has_key_file() && !keys.has_passphrase()) {
        v.add({"pages", true, "not checked: the page map is encrypted (needs the key)"});
        return;
    }
    try {
        v.add({"pages", true, check_page_backup(entry, keys)});
    } catch (const Error& e) {
        v.add({"pages", false, e.what()});
    }
}

// A plain backup is checked where it lies when the storage has local files, else from a private copy.
void deep_check(const BackupEntry& entry, const KeyOptions& keys, BackupVerification& v, Progress& progress) {
    if (entry.manifest->is_encoded()) return deep_check_encoded(entry, keys, v, progress);
    if (entry.storage->has(storage::Capability::local_paths)) {
        v.add(content_check(entry, *entry.storage->local_path(entry.data_key)));
        return;
    }
    try {
        const ScratchDirectory scratch("soniabk-verify");
        const fs::path copy = scratch.path() / ("copy." + entry.kind);
        extract_verified(entry, copy, {}, progress);
        v.add(content_check(entry, copy));
    } catch (const Error& e) {
        v.add({"content", false, e.what()});
    }
}

CheckOutcome read_sha256_check(const BackupEntry& entry, std::uint64_t size) {
    const Manifest& m = *entry.manifest;
    try {
        const auto in = entry.storage->open(entry.data_key);
        const FileDigest digest = hash_stream(*in, size);
        const bool match = digest.sha256 == m.sha256;
        return {"sha256", match,
                match ? digest.sha256 : fmt::format("{}: SHA-256 {} does not match the manifest's {}",
                                                    entry.data_path.string(), digest.sha256, m.sha256)};
    } catch (const Error& e) {
        return {"sha256", false, e.what()};
    }
}

// Object storage keeps the digest its upload was checked against: comparing it costs no download (--deep reads).
CheckOutcome recorded_sha256_check(const BackupEntry& entry, const std::string& recorded) {
    const Manifest& m = *entry.manifest;
    const bool match = recorded == m.sha256;
    return {"sha256", match,
            match ? fmt::format("{} (recorded with the object)", recorded)
                  : fmt::format("{}: the object was stored with SHA-256 {}, the manifest says {}", entry.data_path.string(),
                                recorded, m.sha256)};
}

BackupVerification check_backup(const BackupEntry& entry, VerifyDepth depth, const KeyOptions& keys, Progress& progress) {
    BackupVerification v{entry.id(), entry.kind, entry.data_path, true, {}};
    if (!entry.is_complete()) {
        v.add({"manifest", false, entry.problem});
        return v;
    }
    v.add({"manifest", true, entry.manifest_path.filename().string()});
    const Manifest& m = *entry.manifest;
    const auto stored = entry.storage->stat(entry.data_key);
    if (!stored) {
        v.add({"data_present", false, fmt::format("{}: data file missing", entry.data_path.string())});
        return v;
    }
    v.add({"data_present", true, entry.data_path.filename().string()});
    const std::uint64_t size = stored->size_bytes;
    if (size != m.size_bytes) {
        v.add({"size", false, fmt::format("{} bytes on disk, manifest says {}", size, m.size_bytes)});
        return v;
    }
    v.add({"size", true, fmt::format("{} bytes", size)});
    v.add(stored->sha256.empty() ? read_sha256_check(entry, size) : recorded_sha256_check(entry, stored->sha256));
    if (v.ok && is_page_backup(entry)) reachability_check(entry, keys, v);
    if (depth == VerifyDepth::deep && v.ok) deep_check(entry, keys, v, progress);
    return v;
}

StepOutcome step_outcome(const BackupVerification& v) {
    std::string names;
    for (const auto& check : v.checks) {
        if (!check.ok) return StepOutcome::fail(fmt::format("{}: {}: {}", v.backup_id, check.name, check.detail));
        names += (names.empty() ? "" : ", ") + check.name;
    }
    return StepOutcome::pass(fmt::format("{} ({})", v.backup_id, names));
}

}  // namespace

BackupVerification verify_backup(const BackupEntry& entry, VerifyDepth depth, const KeyOptions& keys, Progress& progress,
                                 Trace& trace) {
    StepTimer timer(trace, "backup");
    BackupVerification v = check_backup(entry, depth, keys, progress);
    timer.done(step_outcome(v));
    return v;
}

Json VerifyResult::to_json() const {
    Json list = Json::array();
    for (const auto& b : backups) list.push_back(b.to_json());
    Json repo_checks = Json::array();
    for (const auto& c : checks) repo_checks.push_back(c.to_json());
    return {{"ok", ok}, {"backups", list}, {"checks", repo_checks}, {"subset", subset}};
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

VerifyResult verify_selected(const VerifyOptions& options, const std::vector<BackupEntry>& entries) {
    VerifyResult result;
    for (const BackupEntry* entry : select_backups(options, entries)) {
        result.backups.push_back(verify_backup(*entry, options.depth, options.keys, *options.progress, *options.trace));
        result.ok = result.ok && result.backups.back().ok;
    }
    return result;
}

VerifyResult run_verify(const VerifyOptions& options) {
    const Repository repo = Repository::open(options.repo);
    StepTimer scanning(*options.trace, "scan");
    const std::vector<BackupEntry> entries = repo.scan();
    scanning.done(StepOutcome::pass(fmt::format("{} in {}", count_of(entries.size(), "backup"), options.repo.string())));
    VerifyResult result = options.read_data_subset.empty() ? verify_selected(options, entries)
                                                           : verify_data_subset(options, repo, entries);
    // A subset may hold none of the backups; the repository must still hold one.
    const bool none = options.read_data_subset.empty() ? result.backups.empty() : !newest_complete(entries, options.kind);
    if (none) {
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
    Json checked = Json::array();
    Json failed = Json::array();
    for (const auto& b : result.backups) {
        checked.push_back(b.backup_id);
        if (!b.ok) failed.push_back(b.backup_id);
    }
    record.detail = {{"deep", options.depth == VerifyDepth::deep}, {"verified", result.backups.size()}, {"checked", checked},
                     {"failed", failed}};
    if (!result.subset.is_null()) record.detail["subset"] = result.subset;
    append_journal(Repository::open(options.repo).storage(), record);
    return result;
}

std::set<std::string> newest_verified_ids(const std::vector<BackupEntry>& entries) {
    std::set<std::string> ids;
    std::set<std::string> kinds_done;
    for (const BackupEntry& e : entries) {  // newest first
        if (!e.is_complete() || kinds_done.contains(e.kind)) continue;
        if (verify_backup(e, VerifyDepth::stored).ok) {
            ids.insert(e.id());
            kinds_done.insert(e.kind);
        }
    }
    return ids;
}

}  // namespace soniabk
