#include "commands/state_restore.hpp"

#include "repo/read_backup.hpp"
#include "base/error.hpp"
#include "repo/journal.hpp"
#include "repo/repository.hpp"
#include "io/scratch.hpp"
#include "io/hash.hpp"

#include <fmt/format.h>

#include <fstream>
#include <unordered_set>

namespace soniabk {

namespace {

constexpr const char* not_restored_reason =
    "sessions (30 min) and confirmations (120 s) are ephemeral and circuit breakers rebuild their own state: "
    "only the DLQ is restored";

const BackupEntry& choose_backup(const RestoreStateOptions& options, const std::vector<BackupEntry>& entries) {
    if (options.latest) {
        const BackupEntry* newest = newest_complete(entries, "state");
        if (newest == nullptr) throw runtime_error(ErrorCode::not_found, fmt::format("{}: no complete state backup", options.repo.string()));
        return *newest;
    }
    const BackupEntry& entry = find_backup(entries, options.id);
    if (entry.kind != "state") throw usage_error(fmt::format("'{}' is a {} backup, not a state backup", options.id, entry.kind));
    return entry;
}

// A damaged snapshot must never reach the gateway: its stored size and SHA-256 are checked first. Bytes that differ
// are damage (exit 1); a read that fails is the I/O error it is (exit 3), not a finding about the backup.
void require_intact(const BackupEntry& entry) {
    const Manifest& m = *entry.manifest;
    const auto in = entry.storage->open(entry.data_key);
    const FileDigest digest = hash_stream(*in, m.size_bytes);
    if (digest.size_bytes != m.size_bytes || digest.sha256 != m.sha256) {
        throw check_failed(ErrorCode::backup_damaged,
                           fmt::format("{}: {} bytes with SHA-256 {}, the manifest says {} bytes with {}",
                                       entry.data_path.string(), digest.size_bytes, digest.sha256, m.size_bytes, m.sha256),
                           entry.data_path);
    }
}

Json read_part(const fs::path& path, const ByteRange& range) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(range.begin));
    std::string bytes(range.end - range.begin, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        throw runtime_error(ErrorCode::io, fmt::format("{}: could not read bytes {}..{}", path.string(), range.begin, range.end), path);
    }
    return Json::parse(bytes);  // already validated by the streaming pass
}

void post_and_confirm(const RestoreStateOptions& options, const fs::path& snapshot, const std::vector<DlqEntry>& entries,
                      StateRestoreResult& result) {
    const HttpOptions http{options.timeout};
    const std::vector<std::string> keys = dlq_keys(snapshot, entries, result.match);
    post_dlq_restore(options.gateway, snapshot, http);
    result.posted = true;
    std::unordered_set<std::string> present;
    for (const Json& listed : list_dead_letters(options.gateway, http)) present.insert(dlq_key(listed, result.match));
    for (std::size_t i = 0; i < keys.size(); ++i) {
        (present.contains(keys[i]) ? result.restored : result.missing).push_back(result.dlq_ids[i]);
    }
    result.ok = result.missing.empty();
}

StateRestoreResult run_restore(const RestoreStateOptions& options) {
    // 1. Which snapshot, and is it still what its manifest says?
    const Repository repo = Repository::open(options.repo);
    const std::vector<BackupEntry> entries = repo.scan();
    const BackupEntry& entry = choose_backup(options, entries);
    require_intact(entry);
    // 2. A compressed or encrypted snapshot, or one on storage without local files, is decoded into a private
    //    scratch file, every digest checked.
    std::optional<ScratchDirectory> scratch;
    fs::path snapshot = entry.storage->local_path(entry.data_key).value_or(fs::path());
    if (entry.manifest->is_encoded() || !entry.storage->has(storage::Capability::local_paths)) {
        scratch.emplace("soniabk-restore-state");
        snapshot = scratch->path() / "gateway-state.json";
        decode_backup_to_file(entry, DecodeOptions{options.keys, true}, snapshot);
    }
    // 3. Re-validate its structure and learn its DLQ ids, streaming.
    StateSummary summary = validate_state_file(snapshot, DlqEntries::collect);
    StateRestoreResult result;
    result.backup_id = entry.id();
    result.path = entry.data_path;
    result.size_bytes = entry.manifest->size_bytes;
    result.gateway = options.gateway;
    result.url = gateway_url(options.gateway, "/v1/backups/restore/dlq");
    result.dry_run = options.dry_run;
    result.counts = summary.counts;
    result.match = choose_dlq_match(summary.dlq);
    result.dlq_ids = dlq_labels(summary.dlq, result.match);
    // 4. --extract hands the part back for replay by hand; nothing is posted.
    if (options.extract) {
        result.extracted = read_part(snapshot, summary.ranges[static_cast<std::size_t>(*options.extract)]);
        return result;
    }
    // 5. Post only when there is something to restore and this is not a dry run.
    if (!options.dry_run && !result.dlq_ids.empty()) post_and_confirm(options, snapshot, summary.dlq, result);
    return result;
}

}  // namespace

Json StateRestoreResult::to_json() const {
    if (extracted) return *extracted;
    return {{"ok", ok},
            {"backup_id", backup_id},
            {"path", path.string()},
            {"gateway", gateway},
            {"url", url},
            {"dry_run", dry_run},
            {"posted", posted},
            {"size_bytes", size_bytes},
            {"dlq",
             {{"count", dlq_ids.size()},
              {"match", to_string(match)},
              {"ids", dlq_ids},
              {"restored", restored},
              {"missing", missing}}},
            {"not_restored",
             {{"sessions_count", counts[StateSection::sessions]},
              {"confirmations_count", counts[StateSection::confirmations]},
              {"breakers_count", counts[StateSection::breakers]},
              {"reason", not_restored_reason}}}};
}

StateRestoreResult restore_state(const RestoreStateOptions& options) {
    if (options.latest == !options.id.empty()) throw usage_error("name the state backup to restore: an ID or --latest");
    if (!options.dlq && !options.extract) {
        throw usage_error("say what to restore: --dlq (the only part the gateway takes back) or --extract PART");
    }
    if (options.timeout <= Duration::zero() || options.timeout > std::chrono::hours(1)) {
        throw usage_error(fmt::format("timeout {} must be above 0 and at most 1h", format_duration(options.timeout)));
    }
    const auto started = std::chrono::steady_clock::now();
    JournalRecord record{"restore state", options.clock->now()};
    const Repository repo = Repository::open(options.repo);
    storage::Storage& journal = repo.storage();
    try {
        StateRestoreResult result = run_restore(options);
        if (!result.extracted && !result.dry_run) {
            record.ok = result.ok;
            record.detail = {{"backup_id", result.backup_id},
                             {"gateway", result.gateway},
                             {"restored", result.restored.size()},
                             {"missing", result.missing}};
            record.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            append_journal(journal, record);
        }
        return result;
    } catch (const Error& e) {
        record.detail = {{"error", {{"code", e.code()}, {"message", e.what()}}}};
        record.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        append_journal(journal, record);
        throw;
    }
}

}  // namespace soniabk
