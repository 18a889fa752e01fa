#include "sqlite/sqlite.hpp"

#include "base/error.hpp"
#include "platform/files.hpp"
#include "sqlite/image_vfs.hpp"
#include "sqlite/trace.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cctype>
#include <cstring>

namespace soniabk {

namespace {

bool is_write(std::string_view sql) {
    std::string head;
    for (const char c : sql.substr(0, 16)) head += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const char* verb : {"BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE",
                             "DROP", "ALTER", "COMMIT", "PRAGMA WAL_CHECK", "VACUUM"}) {
        if (head.starts_with(verb)) return true;
    }
    return false;
}

struct LockNamed {
    const char* lock;
    const char* why;  // empty, or what holding it means
};

// Which of SQLite's locks stopped `what`, in an operator's words (the statement itself stays out of the message).
LockNamed lock_named(int rc, std::string_view what) {
    if (rc == SQLITE_BUSY_RECOVERY) return {"WAL index lock", " (it is recovering the WAL)"};
    if (rc == SQLITE_BUSY_SNAPSHOT) return {"write lock", " (it wrote since this read began)"};
    if ((rc & 0xff) == SQLITE_LOCKED) return {"table lock", " (a connection of this same process)"};
    if (is_write(what)) return {"write lock", ""};
    return {"exclusive lock", " (a writer keeps readers out)"};
}

Error locked_error(int rc, const fs::path& path, std::string_view what, Duration busy_timeout) {
    const LockNamed named = lock_named(rc, what);
    return runtime_error(ErrorCode::locked,
                         fmt::format("{}: locked: another connection holds SQLite's {} on {}{}; gave up after the {} "
                                     "busy timeout (--busy-timeout)",
                                     path.string(), named.lock, path.filename().string(), named.why,
                                     format_duration(busy_timeout)),
                         path);
}

Error sqlite_error(int rc, const std::string& message, const fs::path& path, std::string_view what, Duration busy_timeout) {
    const std::string text = path.string() + ": " + message;
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return locked_error(rc, path, what, busy_timeout);
        case SQLITE_NOTADB: return runtime_error(ErrorCode::not_sqlite, path.string() + ": not a SQLite database", path);
        case SQLITE_CORRUPT: return runtime_error(ErrorCode::corrupt, text, path);
        case SQLITE_FULL: return runtime_error(ErrorCode::disk_full, path.string() + ": disk full", path);
        case SQLITE_CANTOPEN: return runtime_error(ErrorCode::cannot_open, text, path);
        case SQLITE_READONLY:
        case SQLITE_PERM: return runtime_error(ErrorCode::permission_denied, text, path);
        default: return runtime_error(ErrorCode::sqlite, text, path);
    }
}

// The CLI's trace for -vv; set once at start-up, before any connection is opened.
Trace* statement_trace = &no_trace();

int report_statement(unsigned, void*, void* statement, void* nanoseconds) {
    auto* stmt = static_cast<sqlite3_stmt*>(statement);
    const char* file = sqlite3_db_filename(sqlite3_db_handle(stmt), "main");
    const double ms = static_cast<double>(*static_cast<sqlite3_int64*>(nanoseconds)) / 1e6;
    statement_trace->write(fmt::format("sqlite {} {:.3f}ms: {}", file != nullptr && *file != '\0' ? file : "(temp)", ms,
                                       sqlite3_sql(stmt)));
    return 0;
}

}  // namespace

void trace_sqlite(Trace& trace) { statement_trace = &trace; }

namespace {

sqlite3* open_connection(const std::string& filename, int flags, const char* vfs, const fs::path& shown_as,
                         Duration busy_timeout) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(filename.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, vfs);
    if (rc != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        throw sqlite_error(rc, message, shown_as, "open", busy_timeout);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
    if (statement_trace->wants(TraceLevel::detail)) sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, report_statement, nullptr);
    return db;
}

}  // namespace

// URIs are on (open_connection) so that ATTACH takes an image's; a path must never be read as one.
std::string sqlite_filename(const fs::path& path) {
    const std::string name = path.string();
    return name.starts_with("file:") ? "./" + name : name;
}

Database Database::open(const fs::path& path, Mode mode, Duration busy_timeout, const char* vfs) {
    int flags = 0;
    switch (mode) {
        case Mode::read_only: flags |= SQLITE_OPEN_READONLY; break;
        case Mode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
        case Mode::create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    return Database(open_connection(sqlite_filename(path), flags, vfs, path, busy_timeout), path, busy_timeout);
}

Database Database::open_uri(const std::string& uri, const fs::path& shown_as) {
    const Duration busy_timeout = std::chrono::seconds(10);
    return Database(open_connection(uri, SQLITE_OPEN_READONLY, nullptr, shown_as, busy_timeout), shown_as, busy_timeout);
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), busy_timeout_(other.busy_timeout_) {
    other.db_ = nullptr;
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::fail(int rc, std::string_view what) const {
    if ((rc & 0xff) == SQLITE_IOERR) rethrow_image_failure();
    throw sqlite_error(rc, fmt::format("{}: {}", what, sqlite3_errmsg(db_)), path_, what, busy_timeout_);
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, text);
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    return Statement(*this, stmt);
}

std::optional<std::int64_t> Database::query_int(std::string_view sql) {
    Statement stmt = prepare(sql);
    if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
    return stmt.column_int(0);
}

std::optional<std::string> Database::query_text(std::string_view sql) {
    Statement stmt = prepare(sql);
    if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
    return stmt.column_text(0);
}

bool Database::has_table(std::string_view table) {
    Statement stmt = prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1");
    stmt.bind(1, table);
    return stmt.step();
}

bool Database::has_column(std::string_view table, std::string_view column) {
    Statement stmt = prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name=?2");
    stmt.bind(1, table).bind(2, column);
    return stmt.step();
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, sqlite3_sql(stmt_));
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }
std::string Statement::column_name(int i) const { return sqlite3_column_name(stmt_, i); }
bool Statement::is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
bool Statement::is_integer(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_INTEGER; }
std::int64_t Statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string Statement::column_text(int i) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
}

std::string_view Statement::column_blob(int i) const {
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return blob ? std::string_view(blob, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view();
}

namespace {

constexpr char sqlite_magic[] = "SQLite format 3";  // with its NUL: the header's first 16 bytes

// Up to `size` bytes from the start of `path`; fewer when the file is shorter.
std::size_t read_prefix(const fs::path& path, unsigned char* out, std::size_t size) {
    platform::InputFile in(path);
    std::size_t got = 0;
    while (got < size) {
        const std::size_t n = in.read(reinterpret_cast<char*>(out) + got, size - got);
        if (n == 0) break;
        got += n;
    }
    return got;
}

}  // namespace

void require_sqlite_file(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) throw runtime_error(ErrorCode::db_missing, path.string() + ": no such database file", path);
    if (!fs::is_regular_file(status)) throw runtime_error(ErrorCode::not_sqlite, path.string() + ": not a regular file", path);
    unsigned char header[sizeof sqlite_magic] = {};
    // A zero-length file is a valid empty database to SQLite, but never a memory store worth backing up.
    if (read_prefix(path, header, sizeof header) < sizeof header || std::memcmp(header, sqlite_magic, sizeof header) != 0) {
        throw runtime_error(ErrorCode::not_sqlite, path.string() + ": not a SQLite database (bad header)", path);
    }
}

bool is_wal_database(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    unsigned char header[20] = {};  // bytes 18 and 19: the file format's write and read versions, 2 for WAL
    return read_prefix(path, header, sizeof header) == sizeof header &&
           std::memcmp(header, sqlite_magic, sizeof sqlite_magic) == 0 && header[18] == 2 && header[19] == 2;
}

std::string sqlite_library_version() { return sqlite3_libversion(); }

std::string quote_identifier(std::string_view identifier) {
    std::string out = "\"";
    for (const char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace soniabk
