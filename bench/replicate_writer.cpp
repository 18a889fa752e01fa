// soniabk-bench-replicate-writer: SONIA-like write load on a WAL-mode database for bench_replicate.sh. Each
// transaction inserts one memory of about 1 KB of prose (the FTS index follows, by trigger) and bumps a counter,
// at a target rate (paced against a fixed schedule, so a slow commit is caught up) or as fast as it can, for a
// given time; it prints how many it committed. With --log FILE, the wall time of each commit (ms since the
// epoch, after COMMIT returned) goes to FILE, one line per transaction, for the true commit-to-durable lag.
#include "prose.hpp"

#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace soniabk;
using namespace soniabk::bench;

namespace {

// The benchmark database's schema (bench/gen_memory_db.cpp) when the file is new; a counter table either way.
constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS memories(
  id INTEGER PRIMARY KEY, content TEXT NOT NULL, metadata TEXT, embedding BLOB, kind TEXT NOT NULL,
  importance REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, archived_at TEXT);
CREATE INDEX IF NOT EXISTS memories_created ON memories(created_at);
CREATE INDEX IF NOT EXISTS memories_active ON memories(kind, importance) WHERE archived_at IS NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(content, content='memories', content_rowid='id');
CREATE TRIGGER IF NOT EXISTS memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TABLE IF NOT EXISTS bench_counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO bench_counters(name, value) VALUES ('writes', 0);
)sql";

class Statement {
public:
    Statement(Database& db, const char* sql) : db_(db) {
        if (const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr); rc != SQLITE_OK) db.fail(rc, sql);
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement& text(int i, const std::string& v) {
        check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& real(int i, double v) {
        check(sqlite3_bind_double(stmt_, i, v));
        return *this;
    }
    void run() {
        if (const int rc = sqlite3_step(stmt_); rc != SQLITE_DONE && rc != SQLITE_ROW) {
            sqlite3_reset(stmt_);
            db_.fail(rc, sqlite3_sql(stmt_));
        }
        sqlite3_reset(stmt_);
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) db_.fail(rc, "bind");
    }
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

std::string memory_text(Random& rng) {
    std::string text;
    while (text.size() < 1000) {
        if (!text.empty()) text += ' ';
        append_prose(rng, text);
    }
    text.resize(1000 + rng.below(48));
    return text;
}

std::int64_t epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int run(const fs::path& path, double rate, double seconds, const std::string& synchronous, const fs::path& log,
        std::uint64_t seed, bool init_only, bool report) {
    if (report) {  // what a restore must reproduce: the rows and the counter
        Database db = Database::open(path, Database::Mode::read_only);
        fmt::print("memories {} counter {}\n", db.query_int("SELECT count(*) FROM memories").value_or(-1),
                   db.query_int("SELECT value FROM bench_counters WHERE name = 'writes'").value_or(-1));
        return 0;
    }
    Database db = Database::open(path, fs::exists(path) ? Database::Mode::read_write : Database::Mode::create);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=" + synchronous);
    db.exec(schema);
    if (init_only) {
        fmt::print("{}: schema ready\n", path.string());
        return 0;
    }
    Statement begin(db, "BEGIN IMMEDIATE");
    Statement commit(db, "COMMIT");
    Statement insert(db,
                     "INSERT INTO memories(content, metadata, kind, importance, created_at, updated_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    Statement bump(db, "UPDATE bench_counters SET value = value + 1 WHERE name = 'writes'");
    std::vector<std::int64_t> commits;
    Random rng(seed);
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    const auto stop = started + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
    const auto period = rate > 0 ? std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(1.0 / rate))
                                 : clock::duration::zero();
    std::uint64_t n = 0;
    for (auto next = started; next < stop && clock::now() < stop; next += period) {
        if (rate > 0) std::this_thread::sleep_until(next);
        const std::string text = memory_text(rng);
        const std::string metadata = fmt::format(R"({{"source":"{}","tags":["{}"]}})", rng.pick(sources), rng.pick(tag_names));
        const std::string at = fmt::format("2026-12-08T00:00:00.{:06}Z", n % 1000000);
        begin.run();
        insert.text(1, text).text(2, metadata).text(3, std::string(rng.pick(kinds))).real(4, rng.unit()).text(5, at).run();
        bump.run();
        commit.run();
        if (!log.empty()) commits.push_back(epoch_ms());
        ++n;
    }
    const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
    if (!log.empty()) {
        std::FILE* out = std::fopen(log.string().c_str(), "w");
        if (out == nullptr) throw std::runtime_error("cannot write " + log.string());
        for (const std::int64_t ms : commits) std::fprintf(out, "%lld\n", static_cast<long long>(ms));
        std::fclose(out);
    }
    fmt::print("committed {} transactions in {:.3f} s: {:.1f} tx/s\n", n, elapsed, static_cast<double>(n) / elapsed);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"SONIA-like write load on a WAL-mode database, for bench/bench_replicate.sh"};
    fs::path db;
    double rate = 0;
    double seconds = 10;
    std::string synchronous = "NORMAL";
    fs::path log;
    std::uint64_t seed = 1;
    bool init_only = false;
    bool report = false;
    app.add_option("--db", db, "The database (created with the schema when missing)")->required();
    app.add_option("--rate", rate, "Transactions per second; 0: as fast as possible")->capture_default_str();
    app.add_option("--for", seconds, "Seconds to write for")->capture_default_str();
    app.add_option("--synchronous", synchronous, "PRAGMA synchronous (SONIA's WAL setting: NORMAL)")->capture_default_str();
    app.add_option("--log", log, "Write each commit's wall time (ms since the epoch) to this file");
    app.add_option("--seed", seed, "Seed of the generated prose")->capture_default_str();
    app.add_flag("--init", init_only, "Only make the schema (WAL mode, tables), then exit");
    app.add_flag("--report", report, "Only print the number of memories and the counter (read-only), then exit");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(db, rate, seconds, synchronous, log, seed, init_only, report);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soniabk-bench-replicate-writer: %s\n", e.what());
        return 1;
    }
}
