#include "commands/copy.hpp"
#include "repo/location.hpp"

#include "base/error.hpp"
#include "base/steps.hpp"
#include "base/wording.hpp"
#include "commands/copy_objects.hpp"
#include "pages/page_index.hpp"
#include "pages/page_keys.hpp"
#include "pages/rebuild.hpp"
#include "repo/journaled.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace soniabk {

namespace {

std::string describe(const RepositoryConfig& c) {
    return fmt::format("format {}, encryption {}", to_string(c.format), to_string(c.encryption));
}

// The destination must be a repository `init` made, alike in format and encryption: stored bytes are
// copied as they are, never re-encoded, so they have to mean the same there.
void require_compatible(const Repository& from, const Repository& to) {
    std::error_code ec;
    if (fs::equivalent(from.root(), to.root(), ec)) {
        throw usage_error(fmt::format("{}: copying a repository into itself", to.root().string()));
    }
    if (!from.config()) return;  // older than `init`: its backups say themselves what they are
    const RepositoryConfig& a = *from.config();
    const RepositoryConfig& b = *to.config();
    if (a.format != b.format || a.encryption != b.encryption) {
        throw Error(ErrorCategory::usage, ErrorCode::copy_incompatible,
                    fmt::format("{} ({}) and {} ({}) differ: copy needs a destination made with 'soniabk init "
                                "--format {} --encryption {}'",
                                from.root().string(), describe(a), to.root().string(), describe(b), to_string(a.format),
                                to_string(a.encryption)),
                    to.root());
    }
}

std::vector<const BackupEntry*> select(const std::vector<BackupEntry>& entries, const CopyOptions& options) {
    std::vector<const BackupEntry*> chosen;
    if (options.selection == CopySelection::ids) {
        for (const std::string& id : options.ids) {
            const BackupEntry& entry = find_backup(entries, id);
            if (!entry.is_complete()) {
                throw runtime_error(ErrorCode::backup_incomplete,
                                    fmt::format("{}: backup {} is {}: {}", entry.data_path.string(), entry.id(),
                                                to_string(entry.status), entry.problem),
                                    entry.data_path);
            }
            chosen.push_back(&entry);
        }
    } else if (options.selection == CopySelection::latest) {
        for (const char* kind : {"db", "state"}) {
            if (const BackupEntry* newest = newest_complete(entries, kind)) chosen.push_back(newest);
        }
    } else {
        for (const auto& entry : entries) {
            if (entry.is_complete()) chosen.push_back(&entry);
        }
    }
    // Oldest first: an interrupted run leaves the older backups complete at the destination.
    std::stable_sort(chosen.begin(), chosen.end(), [](const BackupEntry* a, const BackupEntry* b) { return a->time < b->time; });
    return chosen;
}

// One backup's objects in the order they are written, its manifest (the commit point) last.
struct PlannedBackup {
    std::string id;
    std::vector<std::pair<std::string, FileDigest>> objects;
};

class Copier {
public:
    Copier(const Repository& from, Repository& to, const CopyOptions& options, CopyResult& result)
        : from_(from), entries_(from.scan()), objects_(from.storage(), to.storage(), options.bwlimit, *options.progress),
          to_(to), result_(result) {
        for (const auto& entry : to.scan()) {
            if (entry.is_complete()) at_destination_.insert(entry.id());
        }
    }

    const std::vector<BackupEntry>& entries() const { return entries_; }
    const CopyCounts& counts() const { return objects_.counts(); }

    // A page-store backup goes after the backups its map builds on, so no map there lacks its parent.
    void plan(const BackupEntry& entry) {
        if (!done_.insert(entry.id()).second) return;
        if (is_page_backup(entry) && !entry.manifest->pages->parent_backup_id.empty()) {
            plan(parent_of(entry));
        }
        if (at_destination_.count(entry.id()) != 0) {
            result_.skipped.push_back(entry.id());
            return;
        }
        PlannedBackup backup{entry.id(), {}};
        if (is_page_backup(entry)) plan_pages_of(entry, backup);
        backup.objects.emplace_back(entry.data_key, FileDigest{entry.manifest->sha256, entry.manifest->size_bytes});
        backup.objects.emplace_back(entry.manifest_key, digest_of(from_.storage().read_all(entry.manifest_key)));
        plan_.push_back(std::move(backup));
    }

    // The bytes the plan writes, for the progress bar: what the destination lacks, each object once.
    std::uint64_t bytes_to_copy() const {
        std::set<std::string> counted;
        std::uint64_t total = 0;
        for (const PlannedBackup& backup : plan_) {
            for (const auto& [key, digest] : backup.objects) {
                if (counted.insert(key).second && !objects_.present(key)) total += digest.size_bytes;
            }
        }
        return total;
    }

    void run() {
        for (const PlannedBackup& backup : plan_) {
            for (const auto& [key, digest] : backup.objects) objects_.copy(key, digest);
            // The manifest went last: the backup is complete at the destination from here on, not before.
            result_.copied.push_back(backup.id);
        }
    }

private:
    const BackupEntry& parent_of(const BackupEntry& entry) const {
        const std::string& id = entry.manifest->pages->parent_backup_id;
        for (const auto& other : entries_) {
            if (other.is_complete() && other.id() == id) return other;
        }
        throw runtime_error(ErrorCode::backup_damaged,
                            fmt::format("{}: its page map builds on backup {}, which {} does not hold",
                                        entry.manifest_path.string(), id, from_.root().string()),
                            entry.manifest_path);
    }

    // Packs first, each before its index object (as a backup writes them): an index object at the
    // destination means its pack is there too.
    void plan_pages_of(const BackupEntry& entry, PlannedBackup& backup) {
        const storage::Storage& source = from_.storage();
        if (entry.manifest->encryption) backup.objects.emplace_back(std::string(pages::key_record_key), key_record_digest());
        for (const std::string& name : packs_of(entry)) {
            if (!packs_done_.insert(name).second || objects_.present(pages::index_key(name))) continue;
            const std::string index_bytes = source.read_all(pages::index_key(name));
            const pages::PackIndex index =
                pages::parse_pack_index(index_bytes, name, source.location(pages::index_key(name)));
            backup.objects.emplace_back(pages::pack_key(name), index.pack);
            backup.objects.emplace_back(pages::index_key(name), digest_of(index_bytes));
        }
    }

    // A plain map names its pages; an encrypted one is sealed, so every pack the destination lacks goes.
    std::vector<std::string> packs_of(const BackupEntry& entry) const {
        if (!entry.manifest->encryption) return pages::packs_needed(from_.storage(), map_ref_of(entry), nullptr);
        std::vector<std::string> names;
        for (const auto& object : from_.storage().list(std::string(pages::index_prefix))) {
            const std::string name = object.key.substr(pages::index_prefix.size());
            if (name.ends_with(".idx")) names.push_back(name.substr(0, name.size() - 4));
        }
        return names;
    }

    // Sealed blocks open only under the salt they were made with: the destination's key record must be
    // the source's, or it gets the source's when it has none yet.
    FileDigest key_record_digest() const {
        const std::string key(pages::key_record_key);
        const std::string bytes = from_.storage().read_all(key);
        if (to_.storage().stat(key) && to_.storage().read_all(key) != bytes) {
            throw Error(ErrorCategory::usage, ErrorCode::copy_incompatible,
                        fmt::format("{} and {} differ: the two page stores have different key material (salt), so "
                                    "encrypted pages cannot be copied as they are",
                                    from_.storage().location(key).string(), to_.storage().location(key).string()),
                        to_.storage().location(key));
        }
        return digest_of(bytes);
    }

    const Repository& from_;
    std::vector<BackupEntry> entries_;
    ObjectCopier objects_;
    Repository& to_;
    CopyResult& result_;
    std::set<std::string> at_destination_;
    std::set<std::string> done_;
    std::set<std::string> packs_done_;
    std::vector<PlannedBackup> plan_;
};

CopyResult run_copy(const CopyOptions& options, const Repository& from, Repository& to) {
    const auto started = std::chrono::steady_clock::now();
    require_compatible(from, to);
    StepTimer locking(*options.trace, "lock");
    const RepositoryLock lock = to.lock_for_writing("copy", options.lock_wait, *options.progress);
    locking.done(StepOutcome::pass(to.root().string()));
    CopyResult result;
    result.from = options.from;
    result.to = options.to;
    StepTimer planning(*options.trace, "plan");
    Copier copier(from, to, options, result);
    const std::vector<const BackupEntry*> chosen = select(copier.entries(), options);
    for (const BackupEntry* entry : chosen) {
        copier.plan(*entry);
        if (!result.newest_id || entry->time > result.newest_at) {
            result.newest_id = entry->id();
            result.newest_at = entry->time;
        }
    }
    const std::uint64_t total = copier.bytes_to_copy();
    planning.done(StepOutcome::pass(fmt::format("{} bytes to copy, {} complete there already", total,
                                                count_of(result.skipped.size(), "backup"))));
    StepTimer copying(*options.trace, "copy");
    options.progress->begin("copy", total);
    copier.run();
    options.progress->end();
    copying.done(StepOutcome::pass(fmt::format("{} into {}", count_of(result.copied.size(), "backup"), to.root().string())));
    result.bytes_copied = copier.counts().bytes_copied;
    result.objects_copied = copier.counts().objects_copied;
    result.objects_present = copier.counts().objects_present;
    result.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

Json id_list(const std::vector<std::string>& ids) {
    Json list = Json::array();
    for (const auto& id : ids) list.push_back(id);
    return list;
}

}  // namespace

Json CopyResult::to_json() const {
    return {{"ok", true},
            {"from", from.string()},
            {"to", to.string()},
            {"copied", id_list(copied)},
            {"skipped", id_list(skipped)},
            {"bytes_copied", bytes_copied},
            {"objects_copied", objects_copied},
            {"objects_present", objects_present},
            {"newest_backup_id", newest_id ? Json(*newest_id) : Json(nullptr)},
            {"newest_created_at", newest_id ? Json(format_iso8601(newest_at)) : Json(nullptr)},
            {"duration_seconds", duration_seconds}};
}

Json copy_journal_detail(const CopyResult& result) {
    Json detail = result.to_json();
    detail.erase("ok");
    detail.erase("from");
    detail.erase("to");
    detail["target"] = location_text(result.to);
    return detail;
}

CopyResult copy_backups(const CopyOptions& options) {
    const Repository from = Repository::open(options.from);
    // The destination is written: its config is read strictly (a read error is one), a directory without one refused.
    Repository to = Repository::open_for_writing(options.to, *options.clock);
    return run_journaled(
        from.storage(), "copy", *options.clock, [&] { return run_copy(options, from, to); },
        [](const CopyResult& result) { return copy_journal_detail(result); });
}

}  // namespace soniabk
