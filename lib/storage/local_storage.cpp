#include "storage/local_storage.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"
#include "io/atomic_file.hpp"
#include "io/temp_file.hpp"
#include "platform/locks.hpp"
#include "platform/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

namespace soniabk::storage {

namespace {

TimePoint modified_time(const fs::directory_entry& item) {
    std::error_code ec;
    const auto t = item.last_write_time(ec);
    if (ec) return {};
    return std::chrono::time_point_cast<Duration>(std::chrono::file_clock::to_sys(t));
}

// The bytes of one file from `offset`, at most `length` of them.
class FileRangeReader final : public ObjectReader {
public:
    FileRangeReader(const fs::path& path, ByteRange range) : file_(path) {
        const std::uint64_t total = file_.size();
        const std::uint64_t offset = std::min(range.offset, total);
        left_ = std::min(total - offset, range.length.value_or(total - offset));
        size_ = left_;
        skip(offset);
    }
    std::uint64_t size() const override { return size_; }
    std::size_t read(void* buffer, std::size_t size) override {
        const std::size_t n = file_.read(buffer, static_cast<std::size_t>(std::min<std::uint64_t>(size, left_)));
        left_ -= n;
        return n;
    }

private:
    void skip(std::uint64_t bytes) {
        std::vector<char> scratch(64 * 1024);
        while (bytes > 0) {
            const std::size_t n = file_.read(scratch.data(), static_cast<std::size_t>(std::min<std::uint64_t>(bytes, scratch.size())));
            if (n == 0) break;
            bytes -= n;
        }
    }
    platform::InputFile file_;
    std::uint64_t size_ = 0;
    std::uint64_t left_ = 0;
};

// temp_path_for plus a per-process sequence number: two writers of one process never share a temp.
fs::path unique_temp_for(const fs::path& target) {
    static std::atomic<unsigned> sequence{0};
    return temp_path_for(target).string() + "-" + std::to_string(++sequence);
}

// A temp file beside the target (`.<name>.tmp-<pid>`), published by fsync, rename, fsync of the directory.
class LocalNewObject final : public NewObject {
public:
    LocalNewObject(fs::path target, Overwrite overwrite)
        : target_(std::move(target)), temp_(unique_temp_for(target_)), overwrite_(overwrite) {}
    ByteSink& sink() override {
        if (!file_) {
            file_.emplace(platform::OutputFile::create_new(temp_.path()));
            sink_.emplace(*file_);
        }
        return *sink_;
    }
    std::optional<fs::path> local_path() const override { return temp_.path(); }
    void publish() override {
        if (file_) {
            file_->sync();
            file_->close();
        } else if (!fs::exists(temp_.path())) {
            platform::OutputFile::create_new(temp_.path()).close();  // an empty object
        }
        platform::make_owner_only(temp_.path());
        platform::sync_file(temp_.path());
        fault::point("publish.before_rename");
        if (overwrite_ == Overwrite::never) {
            platform::rename_no_replace(temp_.path(), target_);
        } else {
            platform::atomic_replace(temp_.path(), target_);
        }
        temp_.release();
        try {
            platform::sync_directory(target_.parent_path());
        } catch (const Error&) {
            // Not durable is not published: a new object goes again rather than stay as if it had been (a
            // replaced one stays: its old content is gone either way).
            std::error_code ignored;
            if (overwrite_ == Overwrite::never) fs::remove(target_, ignored);
            throw;
        }
    }

private:
    fs::path target_;
    TempFile temp_;  // declared before file_: closed before it is removed
    Overwrite overwrite_;
    std::optional<platform::OutputFile> file_;
    std::optional<FileSink> sink_;
};

class LocalLock final : public Lock {
public:
    explicit LocalLock(platform::FileLock lock) : lock_(std::move(lock)) {}

private:
    platform::FileLock lock_;
};

}  // namespace

fs::path LocalStorage::location(std::string_view key) const {
    return key.empty() ? root_ : root_ / fs::path(key).make_preferred();
}

bool LocalStorage::has(Capability capability) const {
    // A POSIX or NTFS directory's: hard links depend on the file system, and rename is the publish step on both.
    // Nothing checks a file as it is written, nor keeps its digest: what a disk holds is known by reading it.
    return capability != Capability::checked_uploads && capability != Capability::stored_digests;
}

std::unique_ptr<NewObject> LocalStorage::create(std::string_view key, Overwrite overwrite) {
    require_valid_key(key);
    const fs::path target = location(key);
    platform::create_private_directories(target.parent_path());
    if (overwrite == Overwrite::never && fs::exists(target)) {
        throw runtime_error(ErrorCode::exists, fmt::format("{}: already exists", target.string()), target);
    }
    return std::make_unique<LocalNewObject>(target, overwrite);
}

std::unique_ptr<ObjectReader> LocalStorage::open(std::string_view key, ByteRange range) const {
    const fs::path path = location(key);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw runtime_error(ErrorCode::not_found, fmt::format("{}: no such object", path.string()), path);
    }
    return std::make_unique<FileRangeReader>(path, range);
}

std::optional<ObjectInfo> LocalStorage::stat(std::string_view key) const {
    const fs::directory_entry item(location(key));
    std::error_code ec;
    if (!item.is_regular_file(ec)) return std::nullopt;
    return ObjectInfo{std::string(key), item.file_size(ec), modified_time(item)};
}

std::vector<ObjectInfo> LocalStorage::list(std::string_view prefix, Listing listing) const {
    // Walk only the deepest directory the prefix names: listing "db/" never reads "state/".
    const std::string text(prefix);
    const std::size_t slash = text.rfind('/');
    const fs::path start = slash == std::string::npos ? root_ : root_ / fs::path(text.substr(0, slash));
    std::vector<ObjectInfo> objects;
    std::error_code ec;
    if (!fs::is_directory(start, ec)) return objects;
    for (auto it = fs::recursive_directory_iterator(start, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string key = it->path().lexically_relative(root_).generic_string();
        const bool leftover = is_temp_name(it->path().filename());
        if (!key.starts_with(text) || leftover != (listing == Listing::leftovers)) continue;
        objects.push_back({key, it->file_size(ec), modified_time(*it)});
    }
    std::sort(objects.begin(), objects.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return objects;
}

void LocalStorage::remove(std::string_view key) {
    const fs::path path = location(key);
    std::error_code ec;
    if (fs::remove_all(path, ec) > 0) platform::sync_directory(path.parent_path());
    if (ec) throw io_error("remove", path, platform::errno_of(ec));
}

void LocalStorage::append(std::string_view key, std::string_view bytes) {
    require_valid_key(key);
    const fs::path path = location(key);
    platform::append_to_file(path, bytes);
}

std::unique_ptr<Lock> LocalStorage::try_lock(std::string_view key, std::string_view holder) {
    const fs::path path = location(key);
    auto lock = platform::FileLock::try_acquire(path, platform::LockMode::exclusive);
    if (!lock) return nullptr;
    lock->describe_holder(std::string(holder));
    return std::make_unique<LocalLock>(std::move(*lock));
}

}  // namespace soniabk::storage
