// soniabk-bench-night: one night of SONIA's writes on a benchmark database: a given share of the memories
// changes (60% rewritten, 20% archived, 20% new), in one transaction, optionally left in the -wal file.
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

enum class Checkpoint { truncate, leave_in_wal };

struct Night {
    std::int64_t rewritten = 0;
    std::int64_t archived = 0;
    std::int64_t inserted = 0;
};

std::string prose(Random& rng) {
    std::string text;
    append_prose(rng, text);
    return text;
}

Night change(Database& db, Random& rng, double percent, const std::string& now) {
    const std::int64_t rows = db.query_int("SELECT count(*) FROM memories").value_or(0);
    const std::int64_t max_id = db.query_int("SELECT max(id) FROM memories").value_or(0);
    const auto changes = static_cast<std::int64_t>(static_cast<double>(rows) * percent / 100.0);
    Night night;
    for (std::int64_t i = 0; i < changes; ++i) {
        const std::int64_t id = 1 + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(max_id)));
        const std::uint64_t what = rng.below(10);
        if (what < 6) {
            db.prepare("UPDATE memories SET content = ?1, updated_at = ?2 WHERE id = ?3")
                .bind(1, prose(rng)).bind(2, now).bind(3, id).step();
            ++night.rewritten;
        } else if (what < 8) {
            db.prepare("UPDATE memories SET archived_at = ?1 WHERE id = ?2 AND archived_at IS NULL")
                .bind(1, now).bind(2, id).step();
            ++night.archived;
        } else {
            db.prepare("INSERT INTO memories(content, metadata, embedding, kind, importance, created_at, updated_at)"
                       " SELECT ?1, metadata, embedding, kind, importance, ?2, ?2 FROM memories WHERE id = ?3")
                .bind(1, prose(rng)).bind(2, now).bind(3, id).step();
            ++night.inserted;
        }
    }
    return night;
}

int run(const fs::path& path, std::uint64_t seed, double percent, Checkpoint checkpoint) {
    Database db = Database::open(path, Database::Mode::read_write);
    // Left in the WAL: the last connection's close must not checkpoint, as SONIA's open services would not.
    if (checkpoint == Checkpoint::leave_in_wal) sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    Random rng(seed);
    const std::string now = format_iso8601(*parse_iso8601("2026-06-01T00:00:00Z") + std::chrono::days(seed));
    db.exec("BEGIN IMMEDIATE");
    const Night night = change(db, rng, percent, now);
    db.exec("COMMIT");
    if (checkpoint == Checkpoint::truncate) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    fmt::print("{}: {} rewritten, {} archived, {} inserted, {}\n", path.string(), night.rewritten, night.archived,
               night.inserted, checkpoint == Checkpoint::truncate ? "checkpointed" : "left in the WAL");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Changes a share of a benchmark database's memories, as one night of SONIA's writes",
                 "soniabk-bench-night"};
    fs::path db;
    std::uint64_t seed = 1;
    double percent = 1.0;
    Checkpoint checkpoint = Checkpoint::truncate;
    app.add_option("--db", db, "The database to change")->required()->check(CLI::ExistingFile);
    app.add_option("--seed", seed, "Seed of the night's changes (and its date)")->capture_default_str();
    app.add_option("--percent", percent, "Share of the memories changed")->check(CLI::Range(0.0, 100.0))->capture_default_str();
    app.add_option("--checkpoint", checkpoint, "truncate, or leave the night in the -wal file")
        ->transform(CLI::CheckedTransformer(std::map<std::string, Checkpoint>{{"truncate", Checkpoint::truncate},
                                                                                {"none", Checkpoint::leave_in_wal}}));
    CLI11_PARSE(app, argc, argv);
    try {
        return run(db, seed, percent, checkpoint);
    } catch (const Error& e) {
        std::fprintf(stderr, "soniabk-bench-night: %s\n", e.what());
        return e.exit_code();
    }
}
