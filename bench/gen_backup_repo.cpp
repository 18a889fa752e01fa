// Generates a repository of many small backups with real manifests, for the scale benchmark (bench_scale.sh).
// Usage: soniabk-bench-gen-repo REPO [COUNT=5000] [INTERVAL_HOURS=2]
#include "base/clock.hpp"
#include "io/hash.hpp"
#include "repo/journal.hpp"
#include "repo/manifest.hpp"
#include "repo/repository.hpp"
#include "sqlite/snapshot.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace soniabk;

namespace {

// A small but real memory database, so every backup verifies (also with --deep).
std::string small_database(const fs::path& path) {
    {
        Database db = Database::open(path, Database::Mode::create);
        db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT NOT NULL, archived_at TEXT)");
        db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                "INSERT INTO memories SELECT i, 'memory ' || i, NULL FROM n");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Plain writes, no fsync: this is a fixture, and 10,000 fsyncs would only slow the set-up.
void write_plain(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: soniabk-bench-gen-repo REPO [COUNT=5000] [INTERVAL_HOURS=2]\n";
        return 2;
    }
    try {
        const fs::path root = argv[1];
        const int count = argc > 2 ? std::stoi(argv[2]) : 5000;
        const int interval_hours = argc > 3 ? std::stoi(argv[3]) : 2;
        RepositoryConfig config;
        config.repository_id = new_repository_id();
        config.format = BackupFormat::files;
        config.created_at = system_clock().now();
        config.tool_version = "bench";
        const Repository repo = Repository::init(root, config);
        const fs::path sample = root / "sample.sqlite";
        const std::string data = small_database(sample);
        Manifest m;
        m.kind = "db";
        m.source = "/srv/sonia/memory.db";
        m.method = "backup";
        m.size_bytes = data.size();
        m.sha256 = hash_file(sample).sha256;
        m.tool_version = "bench";
        m.database = describe_database(sample, "wal");
        m.check = CheckRecord{"quick", "ok"};
        fs::remove(sample);
        // The newest backup an hour ago, then one every INTERVAL_HOURS back in time; every 50th is manual.
        const TimePoint newest = std::chrono::floor<std::chrono::seconds>(system_clock().now()) - std::chrono::hours(1);
        std::ofstream journal(repo.storage().location(journal_key), std::ios::binary | std::ios::trunc);
        for (int i = count - 1; i >= 0; --i) {
            const TimePoint at = newest - std::chrono::hours(interval_hours) * i;
            const fs::path data_path = repo.kind_directory("db") / fmt::format("memory-{}.db", format_compact(at));
            m.backup_id = new_backup_id(at);
            m.label = i % 50 == 25 ? "manual" : "daily";
            m.created_at = at;
            m.file = data_path.filename().string();
            write_plain(data_path, data);
            write_plain(manifest_path_for(data_path), m.to_json().dump(2) + "\n");
            JournalRecord record{"backup db", at, true, 0.05, {{"backup_id", m.backup_id}, {"kind", "db"}}};
            journal << record.to_json().dump() << '\n';
            if (i % 24 == 0) {
                journal << JournalRecord{"verify", at + std::chrono::minutes(5), true, 0.01, {{"verified", 1}}}.to_json().dump()
                        << '\n';
            }
        }
        journal << JournalRecord{"drill", newest + std::chrono::minutes(10), true, 42.0,
                                 {{"passed", true}, {"rto_actual_seconds", 42.0}}}
                       .to_json()
                       .dump()
                << '\n';
        std::cout << fmt::format("{}: {} backups, newest {}\n", root.string(), count, format_iso8601(newest));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "soniabk-bench-gen-repo: " << e.what() << '\n';
        return 1;
    }
}
