#include "commands/decrypt.hpp"

#include "io/atomic_file.hpp"
#include "repo/page_backups.hpp"
#include "repo/read_backup.hpp"
#include "base/error.hpp"
#include "platform/files.hpp"
#include "repo/repository.hpp"

#include <fmt/format.h>

#include <optional>

namespace soniabk {

namespace {

struct Source {
    fs::path path;
    std::string backup_id;
    StoredLayout layout;
    std::shared_ptr<storage::Storage> storage;  // a repository backup: read through its storage
    std::string key;
    std::optional<BackupEntry> page_backup;  // rebuilt from the page store, never decoded as a stream

    DecodeReport decode(const DecodeOptions& options, ByteSink& out) const {
        if (page_backup) return decode_backup(*page_backup, options, out);
        if (!storage) return decode_stored(path, layout, options, out);
        const auto reader = storage->open(key);
        return decode_stored(*reader, reader->size(), path, layout, options, out);
    }
};

// A path names a stored file (its sidecar manifest used when there is one); anything else is a backup id.
Source find_source(const DecryptOptions& options) {
    std::error_code ec;
    if (fs::is_regular_file(options.backup, ec)) {
        const fs::path path = options.backup;
        if (fs::is_regular_file(manifest_path_for(path), ec)) {
            const Manifest manifest = read_manifest(manifest_path_for(path));
            if (manifest.pages) {
                throw usage_error(fmt::format("{}: a page map, not a database stream: name the backup by id with --repo",
                                              path.string()));
            }
            return {path, manifest.backup_id, layout_of(manifest), nullptr, {}, std::nullopt};
        }
        return {path, {}, layout_of_file(path), nullptr, {}, std::nullopt};
    }
    if (options.repo.empty()) {
        throw usage_error(fmt::format("'{}' is no file; to name a backup by id pass --repo DIR or set SONIABK_REPO",
                                      options.backup));
    }
    const std::vector<BackupEntry> entries = Repository::open(options.repo).scan();
    const BackupEntry& entry = find_backup(entries, options.backup);
    if (!entry.is_complete()) {
        throw runtime_error(ErrorCode::incomplete, fmt::format("{}: {}", entry.data_path.string(), entry.problem), entry.data_path);
    }
    Source source{entry.data_path, entry.id(), layout_of(*entry.manifest), entry.storage, entry.data_key, std::nullopt};
    if (is_page_backup(entry)) source.page_backup = entry;
    return source;
}

// Creates its file only when the first byte arrives: a refused key leaves nothing behind, not even a temp.
class NewFileSink final : public ByteSink {
public:
    explicit NewFileSink(fs::path path) : path_(std::move(path)) {}
    void write(const void* data, std::size_t size) override {
        if (!file_) file_.emplace(platform::OutputFile::create_new(path_));
        file_->write(data, size);
    }
    void finish() override {
        if (!file_) file_.emplace(platform::OutputFile::create_new(path_));
        file_->sync();
        file_->close();
    }

private:
    fs::path path_;
    std::optional<platform::OutputFile> file_;
};

}  // namespace

Json DecryptResult::to_json() const {
    return {{"ok", true},
            {"backup_id", backup_id.empty() ? Json(nullptr) : Json(backup_id)},
            {"source", source.string()},
            {"out", out.string()},
            {"size_bytes", size_bytes},
            {"sha256", sha256},
            {"compressed", compressed},
            {"chunks_authenticated", chunks},
            {"content_check", content_check.empty() ? Json(nullptr) : Json(content_check)}};
}

DecryptResult decrypt_backup(const DecryptOptions& options) {
    // 1. Find the stored file and what it holds; refuse what there is nothing to do for, or an occupied --out.
    const Source source = find_source(options);
    // A page-store backup is always rebuilt whole: its pages are stored compressed, one block at a time.
    const bool undo_compression = (options.decompress || source.page_backup) && source.layout.compressed;
    const bool plain_copy = options.plain == PlainBackups::copy;
    if (!source.layout.encrypted && !undo_compression && !plain_copy) {
        throw usage_error(fmt::format("{}: not encrypted{}: nothing to decode (copy it as it is)", source.path.string(),
                                      source.layout.compressed ? " (add --decompress to undo its compression)" : ""));
    }
    std::error_code ec;
    if (fs::exists(fs::symlink_status(options.out, ec))) {
        throw Error(ErrorCategory::usage, ErrorCode::exists,
                    fmt::format("{}: already exists; decrypt never overwrites (choose another --out)",
                                options.out.string()), options.out);
    }
    // 2. Decode into a temp file beside --out, created only once the key has been accepted.
    const fs::path temp = temp_path_for(options.out);
    DecodeOptions decode{options.keys, undo_compression || options.decompress};
    DecryptResult result;
    result.backup_id = source.backup_id;
    result.source = source.path;
    result.out = options.out;
    try {
        NewFileSink file(temp);
        DigestSink written(&file);
        const DecodeReport report = source.decode(decode, written);  // closes the file
        result.size_bytes = written.digest().size_bytes;
        result.sha256 = written.digest().sha256;
        result.chunks = report.chunks;
        result.content_check = report.content_check;
        result.compressed = source.layout.compressed && !decode.decompress;
        // 3. Give it its name only if the name is still free.
        platform::rename_no_replace(temp, options.out);
    } catch (...) {
        fs::remove(temp, ec);
        throw;
    }
    platform::sync_directory(options.out.parent_path().empty() ? fs::path(".") : options.out.parent_path());
    return result;
}

DecryptResult export_backup(DecryptOptions options) {
    options.decompress = true;
    options.plain = PlainBackups::copy;
    return decrypt_backup(options);
}

}  // namespace soniabk
