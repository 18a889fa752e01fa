#include "sqlite/image_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>

namespace soniabk {

namespace {

constexpr const char* vfs_name = "soniabk-image";

struct ImageFile {
    sqlite3_file base;
    DatabaseImage* image;
};

std::mutex registry_mutex;
std::map<std::string, DatabaseImage*, std::less<>> registry;
std::atomic<std::uint64_t> next_image{1};
thread_local std::exception_ptr pending_failure;

sqlite3_vfs* default_vfs = nullptr;
sqlite3_vfs image_vfs;
sqlite3_io_methods image_methods;

DatabaseImage& image_of(sqlite3_file* file) { return *reinterpret_cast<ImageFile*>(file)->image; }

int image_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
    DatabaseImage& image = image_of(file);
    auto* bytes = static_cast<unsigned char*>(out);
    const auto start = static_cast<std::uint64_t>(offset);
    const std::uint64_t size = image.size();
    const std::uint64_t available = start >= size ? 0 : std::min<std::uint64_t>(size - start, static_cast<std::uint64_t>(amount));
    try {
        if (available > 0) image.read(bytes, static_cast<std::size_t>(available), start);
    } catch (...) {
        pending_failure = std::current_exception();  // SQLite's C frames cannot carry it: Database::fail rethrows it
        return SQLITE_IOERR_READ;
    }
    if (available == static_cast<std::uint64_t>(amount)) return SQLITE_OK;
    // SQLite requires the unread tail zeroed on a short read.
    std::memset(bytes + available, 0, static_cast<std::size_t>(static_cast<std::uint64_t>(amount) - available));
    return SQLITE_IOERR_SHORT_READ;
}

int image_file_size(sqlite3_file* file, sqlite3_int64* size) {
    *size = static_cast<sqlite3_int64>(image_of(file).size());
    return SQLITE_OK;
}

int image_close(sqlite3_file*) { return SQLITE_OK; }
int image_write(sqlite3_file*, const void*, int, sqlite3_int64) { return SQLITE_READONLY; }
int image_truncate(sqlite3_file*, sqlite3_int64) { return SQLITE_READONLY; }
int image_sync(sqlite3_file*, int) { return SQLITE_OK; }
int image_lock(sqlite3_file*, int) { return SQLITE_OK; }  // nothing else can change an image
int image_check_reserved_lock(sqlite3_file*, int* reserved) {
    *reserved = 0;
    return SQLITE_OK;
}
int image_file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int image_sector_size(sqlite3_file*) { return 4096; }
int image_device_characteristics(sqlite3_file*) { return SQLITE_IOCAP_IMMUTABLE; }

int image_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    // Temp files for sorting and the like (no name) are real files, as with the default VFS.
    if (name == nullptr) return default_vfs->xOpen(default_vfs, name, file, flags, out_flags);
    file->pMethods = nullptr;
    if ((flags & SQLITE_OPEN_MAIN_DB) == 0) return SQLITE_CANTOPEN;  // never a journal or WAL: nothing is written
    const std::lock_guard lock(registry_mutex);
    const auto it = registry.find(std::string_view(name));
    if (it == registry.end()) return SQLITE_CANTOPEN;
    reinterpret_cast<ImageFile*>(file)->image = it->second;
    file->pMethods = &image_methods;
    if (out_flags != nullptr) *out_flags = SQLITE_OPEN_READONLY;
    return SQLITE_OK;
}

int image_delete(sqlite3_vfs*, const char*, int) { return SQLITE_IOERR_DELETE; }
int image_access(sqlite3_vfs*, const char*, int, int* result) {
    *result = 0;  // no journal, WAL or other file ever exists beside an image
    return SQLITE_OK;
}
int image_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
    sqlite3_snprintf(size, out, "%s", name);  // image names are not paths
    return SQLITE_OK;
}

void register_image_vfs() {
    default_vfs = sqlite3_vfs_find(nullptr);
    image_methods = {1,
                     image_close,
                     image_read,
                     image_write,
                     image_truncate,
                     image_sync,
                     image_file_size,
                     image_lock,
                     image_lock,
                     image_check_reserved_lock,
                     image_file_control,
                     image_sector_size,
                     image_device_characteristics,
                     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    // Randomness, time and sleeping as the default VFS; temp files opened by it, so sized for its files too.
    image_vfs = *default_vfs;
    image_vfs.szOsFile = std::max(static_cast<int>(sizeof(ImageFile)), default_vfs->szOsFile);
    image_vfs.pNext = nullptr;
    image_vfs.zName = vfs_name;
    image_vfs.xOpen = image_open;
    image_vfs.xDelete = image_delete;
    image_vfs.xAccess = image_access;
    image_vfs.xFullPathname = image_full_pathname;
    sqlite3_vfs_register(&image_vfs, 0);
}

}  // namespace

ImageRegistration::ImageRegistration(DatabaseImage& image)
    : name_("soniabk-image-" + std::to_string(next_image++)), uri_("file:" + name_ + "?vfs=" + vfs_name + "&mode=ro&immutable=1") {
    static std::once_flag once;
    std::call_once(once, register_image_vfs);
    const std::lock_guard lock(registry_mutex);
    registry.emplace(name_, &image);
}

ImageRegistration::~ImageRegistration() {
    const std::lock_guard lock(registry_mutex);
    registry.erase(name_);
}

void rethrow_image_failure() {
    if (!pending_failure) return;
    std::exception_ptr failure = nullptr;
    std::swap(failure, pending_failure);
    std::rethrow_exception(failure);
}

}  // namespace soniabk
