#include "sqlite/bulk_write_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace soniabk {

namespace {

// 4 KiB writes cost the kernel about three times the system time of 64 KiB ones (bench/RESULTS.md).
constexpr int gather_bytes = 64 * 1024;

// The file SQLite holds: the real file (allocated right behind this struct) and the writes gathered so far.
struct BulkFile {
    sqlite3_file base;
    sqlite3_file* real;
    sqlite3_int64 start;  // file offset of gathered[0]
    int used;             // bytes gathered
    char gathered[gather_bytes];
};

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs bulk_vfs;
sqlite3_io_methods bulk_methods;

BulkFile& bulk(sqlite3_file* file) { return *reinterpret_cast<BulkFile*>(file); }
sqlite3_file* real(sqlite3_file* file) { return bulk(file).real; }
const sqlite3_io_methods& real_io(sqlite3_file* file) { return *real(file)->pMethods; }

int flush(sqlite3_file* file) {
    BulkFile& f = bulk(file);
    if (f.used == 0) return SQLITE_OK;
    const int used = f.used;
    f.used = 0;
    return real_io(file).xWrite(f.real, f.gathered, used, f.start);
}

int bulk_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    BulkFile& f = bulk(file);
    if (f.used > 0 && offset == f.start + f.used && amount <= gather_bytes - f.used) {
        std::memcpy(f.gathered + f.used, data, static_cast<std::size_t>(amount));
        f.used += amount;
        return SQLITE_OK;
    }
    if (const int rc = flush(file); rc != SQLITE_OK) return rc;
    if (amount >= gather_bytes) return real_io(file).xWrite(f.real, data, amount, offset);
    std::memcpy(f.gathered, data, static_cast<std::size_t>(amount));
    f.start = offset;
    f.used = amount;
    return SQLITE_OK;
}

int bulk_close(sqlite3_file* file) {
    const int flushed = flush(file);
    const int closed = real_io(file).xClose(real(file));
    return flushed != SQLITE_OK ? flushed : closed;
}

// Every other call flushes first, then forwards to the real file.
template <auto method, typename... Args>
int flush_then(sqlite3_file* file, Args... args) {
    if (const int rc = flush(file); rc != SQLITE_OK) return rc;
    return (real_io(file).*method)(real(file), args...);
}

int bulk_sector_size(sqlite3_file* file) { return real_io(file).xSectorSize(real(file)); }
int bulk_device_characteristics(sqlite3_file* file) { return real_io(file).xDeviceCharacteristics(real(file)); }

int bulk_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    BulkFile& f = bulk(file);
    f.real = reinterpret_cast<sqlite3_file*>(&f + 1);
    f.used = 0;
    const int rc = real_vfs->xOpen(real_vfs, name, f.real, flags, out_flags);
    // Version 1 methods: no shared memory and no memory mapping, which these private files never need.
    file->pMethods = rc == SQLITE_OK ? &bulk_methods : nullptr;
    return rc;
}

void register_vfs() {
    real_vfs = sqlite3_vfs_find(nullptr);
    bulk_methods = {1,
                    bulk_close,
                    flush_then<&sqlite3_io_methods::xRead, void*, int, sqlite3_int64>,
                    bulk_write,
                    flush_then<&sqlite3_io_methods::xTruncate, sqlite3_int64>,
                    flush_then<&sqlite3_io_methods::xSync, int>,
                    flush_then<&sqlite3_io_methods::xFileSize, sqlite3_int64*>,
                    flush_then<&sqlite3_io_methods::xLock, int>,
                    flush_then<&sqlite3_io_methods::xUnlock, int>,
                    flush_then<&sqlite3_io_methods::xCheckReservedLock, int*>,
                    flush_then<&sqlite3_io_methods::xFileControl, int, void*>,
                    bulk_sector_size,
                    bulk_device_characteristics,
                    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    // The default VFS's other methods (paths, access, time, randomness) serve this one unchanged.
    bulk_vfs = *real_vfs;
    bulk_vfs.szOsFile = static_cast<int>(sizeof(BulkFile)) + real_vfs->szOsFile;
    bulk_vfs.pNext = nullptr;
    bulk_vfs.zName = "soniabk-bulk-write";
    bulk_vfs.xOpen = bulk_open;
    sqlite3_vfs_register(&bulk_vfs, 0);
}

}  // namespace

const char* bulk_write_vfs() {
    static std::once_flag once;
    std::call_once(once, register_vfs);
    return bulk_vfs.zName;
}

int flush_bulk_writes(sqlite3* db) {
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || file == nullptr ||
        file->pMethods != &bulk_methods) {
        return SQLITE_OK;
    }
    return flush(file);
}

}  // namespace soniabk
