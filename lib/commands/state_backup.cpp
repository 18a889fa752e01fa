#include "commands/state_backup.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/hash.hpp"
#include "repo/journaled.hpp"
#include "platform/files.hpp"
#include "repo/repository.hpp"
#include "sonia/state.hpp"
#include "io/stream.hpp"
#include "base/version.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>

namespace soniabk {

namespace {

// Where the snapshot bytes come from: a file (the gateway's or an import) or standard input.
struct SnapshotSource {
    fs::path origin;     // named in every message
    std::string source;  // the manifest's `source`
    std::string method;  // "gateway" or "import"
    std::optional<platform::InputFile> file;
    std::optional<GatewayBackupAnswer> answer;

    std::size_t read(char* buffer, std::size_t size) {
        if (file) return file->read(buffer, size);
        const std::size_t n = std::fread(buffer, 1, size, stdin);
        if (n == 0 && std::ferror(stdin)) throw io_error("read", origin, errno);
        return n;
    }
};

SnapshotSource open_source(const BackupStateOptions& options) {
    SnapshotSource src;
    src.method = options.from ? "import" : "gateway";
    if (options.from && *options.from == "-") {
        src.origin = "<stdin>";
        src.source = "stdin";
        return src;
    }
    if (options.from) {
        src.origin = *options.from;
        src.source = fs::absolute(*options.from).lexically_normal().string();
        src.file.emplace(*options.from);
        return src;
    }
    src.answer = request_gateway_backup(options.gateway, {options.timeout});
    src.origin = resolve_gateway_file(src.answer->path, options.gateway_dir);
    src.source = options.gateway;
    src.file.emplace(src.origin);
    return src;
}

// Gateway answer and file must agree byte for byte and entry for entry, or the copy is not the backup.
void compare_with_answer(const SnapshotSource& src, const std::string& sha256, const StateSummary& summary) {
    const GatewayBackupAnswer& answer = *src.answer;
    const std::string file = src.origin.string();
    if (sha256 != answer.sha256) {
        throw check_failed(ErrorCode::sha256_mismatch,
                           fmt::format("{}: SHA-256 {} does not match the gateway's manifest ({})", file, sha256, answer.sha256),
                           src.origin);
    }
    if (summary.counts != answer.counts) {
        throw check_failed(ErrorCode::counts_mismatch,
                           fmt::format("{}: holds {} but the gateway's manifest says {}", file, summary.counts.describe(),
                                       answer.counts.describe()),
                           src.origin);
    }
    if (summary.backup_id != answer.backup_id) {
        throw check_failed(ErrorCode::backup_id_mismatch,
                           fmt::format("{}: holds gateway backup '{}' but the gateway answered '{}'", file, summary.backup_id,
                                       answer.backup_id),
                           src.origin);
    }
}

StateInfo state_info(const StateSummary& summary, const SnapshotSource& src) {
    return {summary.counts[StateSection::sessions], summary.counts[StateSection::confirmations],
            summary.counts[StateSection::dlq],      summary.counts[StateSection::breakers],
            summary.backup_id,                       summary.timestamp,
            src.answer ? src.origin.string() : std::string()};
}

StateBackupResult run_state_backup(const BackupStateOptions& options, const Repository& repo) {
    const auto started = std::chrono::steady_clock::now();
    // 1. Settle the key, then find the snapshot: a fresh one from the gateway (answer and path checked) or the import.
    const Encoding encoding = Encoding::resolve(options.codec);
    repo.require_accepts(encoding);
    SnapshotSource src = open_source(options);
    // 2. One writer per repository at a time: names and ids cannot race.
    const RepositoryLock lock = repo.lock_for_writing("backup state", options.lock_wait, *options.progress);
    // 3. A new name within the second; an earlier snapshot is never overwritten.
    const TimePoint created_at = options.clock->now();
    const std::string key = repo.allocate_data_key("state", "gateway-state", ".json" + encoding.suffix(), created_at);
    const fs::path target = repo.storage().location(key);
    if (src.file && repo.storage().has(storage::Capability::local_paths) &&
        platform::free_space(target.parent_path()) < src.file->size()) {
        throw runtime_error(ErrorCode::disk_full, fmt::format("{}: not enough free space for {}", target.parent_path().string(),
                                                     src.origin.string()), target.parent_path());
    }
    // 4. One pass into a hidden temp: copy, hash and validate together, so memory stays flat; when
    //    asked, the bytes are compressed and encrypted on their way to the temp.
    const std::unique_ptr<storage::NewObject> out = repo.storage().create(key, storage::Overwrite::never);
    std::optional<StoredEncoder> encoder;
    if (encoding.any()) encoder.emplace(encoding, out->sink());
    Sha256 sha;
    StateValidator validator(src.origin, DlqEntries::skip);
    std::vector<char> buffer(stream_chunk_bytes);
    std::uint64_t size = 0;
    while (const std::size_t n = src.read(buffer.data(), buffer.size())) {
        sha.update(buffer.data(), n);
        validator.feed(buffer.data(), n);
        if (encoder) {
            encoder->input().write(buffer.data(), n);
        } else {
            out->sink().write(buffer.data(), n);
        }
        size += n;
    }
    const StateSummary summary = validator.finish();
    const std::string sha256 = sha.hex_digest();
    std::optional<EncodedStream> encoded;
    if (encoder) encoded = encoder->finish();
    // 5. The copy must be what the gateway described.
    if (src.answer) compare_with_answer(src, sha256, summary);
    fault::point("backup_state.before_publish");
    // 6. Publish the data (fsync, rename, fsync dir); the manifest comes last and makes it complete.
    out->set_sha256(encoded ? encoded->stored.sha256 : sha256);
    out->publish();
    Manifest manifest;
    manifest.backup_id = new_backup_id(created_at);
    manifest.kind = "state";
    manifest.label = options.label;
    manifest.created_at = created_at;
    manifest.source = src.source;
    manifest.method = src.method;
    manifest.file = target.filename().string();
    manifest.size_bytes = size;
    manifest.sha256 = sha256;
    manifest.tool_version = tool_version;
    manifest.set_id = options.set_id;
    const StateInfo info = state_info(summary, src);
    manifest.state = info;
    if (encoded) record_encoding(manifest, *encoded);
    manifest.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string manifest_key = write_manifest(repo.storage(), key, manifest);
    return {std::move(manifest), info, target, repo.storage().location(manifest_key), repo.adopted()};
}

}  // namespace

Json StateBackupResult::to_json() const {
    const StateInfo& s = state;
    return {{"ok", true},
            {"backup_id", manifest.backup_id},
            {"timestamp", format_iso8601(manifest.created_at)},
            {"path", path.string()},
            {"manifest",
             {{"sessions_count", s.sessions_count},
              {"confirmations_count", s.confirmations_count},
              {"dlq_count", s.dlq_count},
              {"breakers_count", s.breakers_count},
              {"sha256", manifest.sha256}}},
            {"kind", "state"},
            {"label", manifest.label},
            {"size_bytes", manifest.size_bytes},
            {"source", manifest.source},
            {"method", manifest.method},
            {"gateway_backup_id", s.gateway_backup_id},
            {"gateway_timestamp", s.gateway_timestamp},
            {"gateway_path", s.gateway_path.empty() ? Json(nullptr) : Json(s.gateway_path)},
            {"manifest_path", manifest_path.string()},
            {"repository_adopted", repository_adopted}};
}

StateBackupResult backup_state(const BackupStateOptions& options) {
    if (options.label.empty() || options.label.find_first_of("/\\\n") != std::string::npos) {
        throw usage_error(fmt::format("label '{}' must be a non-empty single word", options.label));
    }
    if (options.timeout <= Duration::zero() || options.timeout > std::chrono::hours(1)) {
        throw usage_error(fmt::format("timeout {} must be above 0 and at most 1h", format_duration(options.timeout)));
    }
    if (!options.from && options.gateway_dir.empty()) {
        throw usage_error("the gateway's backups folder is unknown: pass --gateway-dir DIR or set SONIABK_GATEWAY_DIR");
    }
    const Repository repo = Repository::open_for_writing(options.repo, *options.clock);
    return run_journaled(
        repo.storage(), "backup state", *options.clock, [&] { return run_state_backup(options, repo); },
        [&](const StateBackupResult& result) {
            return Json{{"backup_id", result.manifest.backup_id},
                        {"kind", "state"},
                        {"label", options.label},
                        {"size_bytes", result.manifest.size_bytes},
                        {"dlq_count", result.manifest.state ? Json(result.state.dlq_count) : Json(nullptr)}};
        });
}

}  // namespace soniabk
