// RAII handles on SQLite connections and statements; SQLite failures become soniabk errors naming the file.
#pragma once

#include "base/clock.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace soniabk {

namespace fs = std::filesystem;

class Statement;

// `path` as a filename for sqlite3_open_v2 or ATTACH with URIs on: a relative path starting "file:" gets "./".
std::string sqlite_filename(const fs::path& path);

class Database {
public:
    enum class Mode {
        read_only,   // stored backups and temp copies: never written
        read_write,  // an existing database; never created by accident
        create,      // a new file soniabk is writing
    };

    // `vfs`: a registered SQLite VFS name, or null for the default one.
    static Database open(const fs::path& path, Mode mode, Duration busy_timeout = std::chrono::seconds(10),
                         const char* vfs = nullptr);
    // Opens a URI filename (an image's: sqlite/image_vfs.hpp) read-only; messages name `shown_as`.
    static Database open_uri(const std::string& uri, const fs::path& shown_as);
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    ~Database();

    sqlite3* handle() const { return db_; }
    const fs::path& path() const { return path_; }

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::optional<std::int64_t> query_int(std::string_view sql);
    std::optional<std::string> query_text(std::string_view sql);
    bool has_table(std::string_view table);
    bool has_column(std::string_view table, std::string_view column);

    // Throws the soniabk error for SQLite result `rc` during `what`.
    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    Database(sqlite3* db, fs::path path, Duration busy_timeout)
        : db_(db), path_(std::move(path)), busy_timeout_(busy_timeout) {}
    sqlite3* db_;
    fs::path path_;
    Duration busy_timeout_;
};

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    ~Statement();

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    bool step();  // true while a row is available
    int column_count() const;
    std::string column_name(int i) const;
    bool is_null(int i) const;
    bool is_integer(int i) const;
    std::int64_t column_int(int i) const;
    std::string column_text(int i) const;
    // A BLOB's bytes, valid until the next step(); empty for NULL.
    std::string_view column_blob(int i) const;

private:
    friend class Database;
    Statement(const Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    const Database* db_;
    sqlite3_stmt* stmt_;
};

// Throws a clear error unless `path` is an existing regular file starting with SQLite's magic header.
void require_sqlite_file(const fs::path& path);

// True when `path` is a SQLite file whose header says WAL mode (file format versions 2); false otherwise.
bool is_wal_database(const fs::path& path);

std::string sqlite_library_version();

// `identifier` in double quotes, inner quotes doubled, for table and column names built into SQL.
std::string quote_identifier(std::string_view identifier);

}  // namespace soniabk
