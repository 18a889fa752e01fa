// A SQLite VFS for new files soniabk alone writes: consecutive page writes reach the OS as one 64 KiB write.
#pragma once

struct sqlite3;

namespace soniabk {

// Registers the VFS on first use (never as the default) and returns its name for sqlite3_open_v2.
// Everything but a write that continues the previous one first flushes what is gathered, so SQLite
// sees exactly the file it would see without it; only the number of write calls changes.
const char* bulk_write_vfs();

// Hands the writes still gathered for `db`'s main file to the OS and returns SQLite's result code.
// Call it before closing: SQLite ignores errors at close, so a write failing there would go unseen.
int flush_bulk_writes(sqlite3* db);

}  // namespace soniabk
