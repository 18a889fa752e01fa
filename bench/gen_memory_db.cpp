// soniabk-gen-memory-db: writes a deterministic, realistic SONIA memory database of about N MB.
#include "prose.hpp"

#include "base/clock.hpp"
#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;
using namespace soniabk;
using namespace soniabk::bench;

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE schema_version(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE sessions(id TEXT PRIMARY KEY, channel TEXT NOT NULL, started_at TEXT NOT NULL, summary TEXT);
CREATE TABLE tags(name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE memories(
  id INTEGER PRIMARY KEY, content TEXT NOT NULL, metadata TEXT, embedding BLOB, kind TEXT NOT NULL,
  importance REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, archived_at TEXT);
CREATE INDEX memories_created ON memories(created_at);
CREATE INDEX memories_active ON memories(kind, importance) WHERE archived_at IS NULL;
CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='id');
)sql";

// The triggers that keep the index current once the bulk load has indexed its rows itself.
constexpr const char* triggers = R"sql(
CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER memories_au AFTER UPDATE OF content ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
  INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);
END;
)sql";

constexpr int schema_versions = 7;
constexpr std::size_t embedding_dims = 384;  // 1,536 bytes of float32, a typical small embedding model
constexpr std::int64_t min_batch_rows = 64;

// A prepared statement reused for every row: bind, run, reset.
class Insert {
public:
    Insert(Database& db, const char* sql) : db_(db) {
        if (const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr); rc != SQLITE_OK) db.fail(rc, sql);
    }
    Insert(const Insert&) = delete;
    Insert& operator=(const Insert&) = delete;
    ~Insert() { sqlite3_finalize(stmt_); }

    // Text and blobs are bound without a copy: they must live until run().
    Insert& text(int i, std::string_view v) { return check(sqlite3_bind_text(stmt_, i, v.data(), int(v.size()), SQLITE_STATIC)); }
    Insert& blob(int i, const void* v, std::size_t n) { return check(sqlite3_bind_blob(stmt_, i, v, int(n), SQLITE_STATIC)); }
    Insert& real(int i, double v) { return check(sqlite3_bind_double(stmt_, i, v)); }
    Insert& integer(int i, std::int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
    Insert& null(int i) { return check(sqlite3_bind_null(stmt_, i)); }
    void run() {
        if (const int rc = sqlite3_step(stmt_); rc != SQLITE_DONE) db_.fail(rc, sqlite3_sql(stmt_));
        sqlite3_reset(stmt_);
    }

private:
    Insert& check(int rc) {
        if (rc != SQLITE_OK) db_.fail(rc, "bind");
        return *this;
    }
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

struct Totals {
    std::int64_t memories = 0;
    std::int64_t archived = 0;
    std::int64_t sessions = 0;
};

std::string iso(TimePoint t) { return format_iso8601(t); }

void write_fixed_rows(Database& db, TimePoint epoch) {
    Insert version(db, "INSERT INTO schema_version VALUES (?1, ?2)");
    for (int v = 1; v <= schema_versions; ++v) {
        const std::string at = iso(epoch + std::chrono::days(40 * v));
        version.integer(1, v).text(2, at).run();
    }
    Insert tag(db, "INSERT INTO tags VALUES (?1, ?2)");
    const std::string at = iso(epoch);
    for (std::string_view name : tag_names) tag.text(1, name).text(2, at).run();
}

// Writes memories (and the sessions they belong to); the row content follows one seeded sequence.
class MemoryWriter {
public:
    MemoryWriter(Database& db, std::uint64_t seed, TimePoint epoch)
        : memory_(db,
                  "INSERT INTO memories(id, content, metadata, embedding, kind, importance, created_at, updated_at,"
                  " archived_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
          session_(db, "INSERT INTO sessions VALUES (?1, ?2, ?3, ?4)"),
          index_(db, "INSERT INTO memories_fts(rowid, content) SELECT id, content FROM memories WHERE id > ?1"),
          rng_(seed),
          now_(epoch) {}

    // Adds `count` memories, then indexes them in one statement: FTS5 flushes its pending terms at every
    // statement boundary, so indexing row by row (a trigger) would cost several times the whole insert.
    void write(std::int64_t count) {
        const std::int64_t first_new = totals.memories;
        for (std::int64_t i = 0; i < count; ++i) write_one();
        index_.integer(1, first_new).run();
    }

    Totals totals;

private:
    void write_one() {
        now_ += std::chrono::milliseconds(rng_.below(180'000));
        created_ = iso(now_);
        const std::string_view source = rng_.pick(sources);
        if (totals.sessions == 0 || rng_.chance(0.04)) {  // a new conversation every ~25 memories
            session_id_ = fmt::format("ses_{:06}", ++totals.sessions);
            summary_.clear();
            append_prose(rng_, summary_);
            session_.text(1, session_id_).text(2, source).text(3, created_).text(4, summary_).run();
        }
        content_.clear();
        append_prose(rng_, content_);
        metadata_ = fmt::format(R"({{"source":"{}","session_id":"{}","tags":["{}","{}"],"confidence":{:.2f},"lang":"en"}})",
                                source, session_id_, rng_.pick(tag_names), rng_.pick(tag_names), rng_.unit());
        fill_embedding(rng_, embedding_);
        updated_ = rng_.chance(0.2) ? iso(now_ + std::chrono::hours(1 + rng_.below(2000))) : created_;
        memory_.integer(1, ++totals.memories).text(2, content_).text(3, metadata_);
        memory_.blob(4, embedding_.data(), sizeof embedding_).text(5, rng_.pick(kinds));
        memory_.real(6, static_cast<double>(rng_.below(101)) / 100.0).text(7, created_).text(8, updated_);
        if (rng_.chance(0.05)) {
            archived_ = iso(now_ + std::chrono::hours(24 + rng_.below(5000)));
            memory_.text(9, archived_);
            ++totals.archived;
        } else {
            memory_.null(9);
        }
        memory_.run();
    }

    Insert memory_, session_, index_;
    Random rng_;
    TimePoint now_;
    std::string created_, updated_, archived_, session_id_, summary_, content_, metadata_;
    std::array<float, embedding_dims> embedding_{};
};

std::uint64_t file_bytes(Database& db) {
    return static_cast<std::uint64_t>(db.query_int("PRAGMA page_count").value_or(0) *
                                      db.query_int("PRAGMA page_size").value_or(0));
}

// Writes memories until the file holds about `target_bytes`: estimate the rows from the bytes per row
// measured so far, write a little less than that, measure again and top up.
Totals write_memories(Database& db, std::uint64_t seed, TimePoint epoch, std::uint64_t target_bytes) {
    MemoryWriter writer(db, seed, epoch);
    const std::uint64_t base = file_bytes(db);
    double bytes_per_row = 4000;  // a generous first guess (measured: ~3,400); measured after the first batch
    for (;;) {
        const std::uint64_t size = file_bytes(db);
        if (writer.totals.memories > 0) bytes_per_row = double(size - base) / double(writer.totals.memories);
        const double missing_rows = double(target_bytes - std::min(size, target_bytes)) / bytes_per_row;
        if (missing_rows < min_batch_rows) return writer.totals;
        writer.write(std::max(min_batch_rows, static_cast<std::int64_t>(missing_rows * 0.9)));
    }
}

int generate(const fs::path& out, std::uint64_t size_mb, std::uint64_t seed) {
    const auto started = std::chrono::steady_clock::now();
    if (fs::exists(out)) throw usage_error(fmt::format("{}: already exists; remove it first", out.string()));
    // Built under a temp name so an interrupted run never leaves a plausible-looking database behind.
    const fs::path temp = out.string() + ".generating";
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(temp.string() + suffix);
    Totals totals;
    {
        Database db = Database::open(temp, Database::Mode::create);
        // Speed over safety while generating: a crash just means generating again.
        db.exec("PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                " PRAGMA cache_size=-65536; PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY");
        db.exec(schema);
        db.exec(fmt::format("PRAGMA user_version={}", schema_versions));
        const TimePoint epoch = *parse_iso8601("2024-01-01T00:00:00Z");
        db.exec("BEGIN");
        write_fixed_rows(db, epoch);
        totals = write_memories(db, seed, epoch, size_mb << 20);
        db.exec(triggers);
        db.exec("COMMIT");
        // SONIA runs in WAL mode, so the benchmark database does too.
        db.exec("PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL");
    }
    fs::rename(temp, out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("{}: {:.1f} MB, {} memories ({} archived), {} sessions, seed {}, {:.1f}s\n", out.string(),
               static_cast<double>(fs::file_size(out)) / (1 << 20), totals.memories, totals.archived, totals.sessions,
               seed, seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Writes a deterministic, realistic SONIA memory database (same seed, same bytes)",
                 "soniabk-gen-memory-db"};
    fs::path out;
    std::uint64_t size_mb = 0;
    std::uint64_t seed = 1;
    app.add_option("--out", out, "The database to create (must not exist)")->required();
    app.add_option("--size-mb", size_mb, "Approximate size of the database in MiB")->required()->check(CLI::Range(1, 1 << 20));
    app.add_option("--seed", seed, "Seed of the pseudo-random content")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        return generate(out, size_mb, seed);
    } catch (const Error& e) {
        std::fprintf(stderr, "soniabk-gen-memory-db: %s\n", e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soniabk-gen-memory-db: %s\n", e.what());
        return 3;
    }
}
