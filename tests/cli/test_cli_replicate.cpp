// replicate and restore --at against a real writer committing thousands of transactions a second: every
// restored point is a whole-transaction prefix, exactly as far as the segments say, through kills and restarts.
#include "cli_fixture.hpp"
#include "portable.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include "base/clock.hpp"
#include "base/json.hpp"
#include "replica/lineage.hpp"
#include "storage/local_storage.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <thread>

using namespace soniabk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Replicated {
    test::TempDir dir;
    fs::path repo = dir / "repo";
    fs::path db = dir / "memory.db";
    fs::path progress = dir / "progress";

    Replicated() { test::init_repo(repo); }

    std::vector<std::string> replicate_args(const std::string& run_for) const {
        std::vector<std::string> argv = {test::soniabk_binary().string(), "--json", "replicate", "--repo", repo.string(),
                                         "--db", db.string()};
        if (!run_for.empty()) {
            argv.push_back("--for");
            argv.push_back(run_for);
        }
        return argv;
    }
    Json replicate_for(const std::string& run_for) const {
        const test::ProcessResult r = test::run_process(replicate_args(run_for));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return Json::parse(r.out);
    }
    std::vector<replica::StoredLineage> lineages() const {
        storage::LocalStorage storage(repo);
        return replica::list_lineages(storage);
    }
    // Restores the point at `at` over the database and returns its counter (the writer's last whole transaction).
    std::int64_t restore_at(TimePoint at, Json* point = nullptr) const {
        const test::ProcessResult r = test::run_soniabk(
            {"--json", "restore", "--repo", repo.string(), "--db", db.string(), "--at", format_iso8601(at), "--force"});
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        const Json result = Json::parse(r.out);
        if (point) *point = result["point"];
        Database restored = Database::open(db, Database::Mode::read_only);
        return test::check_whole_transactions(restored);
    }
    // The lineage's last point is its first plus every transaction it shipped, none missing, none twice.
    void check_replays_every_transaction(const replica::StoredLineage& lineage) const {
        const std::int64_t first = restore_at(*lineage.first_point());
        CHECK(restore_at(*lineage.last_point()) == first + static_cast<std::int64_t>(lineage.restorable_transactions()));
    }
};

// The writer's seq at a replicated point: its counter after replaying the fix-up, plus every restorable
// transaction up to the point (each writer transaction adds one).
std::uint64_t transactions_through(const replica::StoredLineage& lineage, std::size_t last_segment) {
    std::uint64_t count = 0;
    for (std::size_t i = lineage.record.fixup_segments; i <= last_segment; ++i) count += lineage.segments[i].transactions;
    return count;
}

}  // namespace

TEST_CASE("cli replicate: restores at several moments give exactly the prefix the segments hold, SONIA checkpointing or not") {
    const char* autocheckpoint = GENERATE("0", "1000");
    INFO("writer's wal_autocheckpoint " << autocheckpoint);
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, autocheckpoint);
    // The writer's own count sampled against the wall clock while replicate runs.
    test::Child replicate(r.replicate_args("4s"));
    std::vector<std::pair<TimePoint, long>> samples;
    while (replicate.running()) {
        samples.emplace_back(system_clock().now(), test::committed(r.progress));
        std::this_thread::sleep_for(100ms);
    }
    const test::ProcessResult ran = replicate.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    writer.kill(SIGKILL);
    writer.wait();
    const Json result = Json::parse(ran.out);
    CHECK(result["stopped_by"] == "duration");
    CHECK(result["transactions"].get<std::uint64_t>() > 100);
    CHECK(result["complete_checkpoints"].get<std::uint64_t>() > 0);

    const auto lineages = r.lineages();
    REQUIRE(lineages.size() == result["lineages"].size());
    const replica::StoredLineage& lineage = lineages.back();
    REQUIRE(lineage.segments.size() > lineage.record.fixup_segments + 3);
    CHECK_FALSE(lineage.gap);
    const std::int64_t first = r.restore_at(*lineage.first_point());
    // At segment ends: exactly the transactions the segments hold, none missing, none extra.
    for (const std::size_t k : {lineage.record.fixup_segments, lineage.segments.size() / 2, lineage.segments.size() - 1}) {
        Json point;
        const std::int64_t seq = r.restore_at(lineage.segments[k].last_commit, &point);
        CHECK(seq == first + static_cast<std::int64_t>(transactions_through(lineage, k)));
        CHECK(point["committed_at"] == format_iso8601(lineage.segments[k].last_commit));
        CHECK(point["seconds_before_at"].get<double>() == 0.0);
    }
    // Between segment ends: a whole prefix holding what the writer had committed half a second before.
    for (std::size_t i = 5; i + 5 < samples.size(); i += samples.size() / 4) {
        const TimePoint at = samples[i].first;
        if (lineage.first_point() > at - 500ms) continue;
        Json point;
        const std::int64_t seq = r.restore_at(at, &point);
        const auto before = std::find_if(samples.rbegin(), samples.rend(), [&](const auto& s) { return s.first <= at - 500ms; });
        // Stamps are never earlier than their commits: nothing the writer had not committed by `at` is replayed.
        const auto after = std::find_if(samples.begin(), samples.end(), [&](const auto& s) { return s.first >= at; });
        if (before != samples.rend()) CHECK(seq >= before->second);
        if (after != samples.end()) CHECK(seq <= after->second + 1);
        CHECK(point["seconds_before_at"].get<double>() >= 0.0);
        CHECK(point["seconds_before_at"].get<double>() < 1.0);
    }
}

TEST_CASE("cli replicate: killed -9 at random instants and restarted, it loses or repeats nothing") {
    // Without its own checkpoints the log it was killed in is still there: it resumes. With them, SQLite may have
    // restarted the log behind its last segment; it cannot know what that log lost, so a new lineage starts.
    const std::string checkpoint_pages = GENERATE("100000", "1000");
    INFO("--checkpoint-pages " << checkpoint_pages);
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "0");
    std::mt19937 random(std::random_device{}());
    std::vector<std::string> argv = r.replicate_args("");
    for (const std::string& arg : {std::string("--checkpoint-pages"), checkpoint_pages, std::string("--max-wal-mib"),
                                   std::string("4096")}) {
        argv.push_back(arg);
    }
    for (int round = 0; round < 4; ++round) {
        test::Child replicate(argv);
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(800, 1800)(random)));
        replicate.kill(SIGKILL);
        replicate.wait();
    }
    argv.push_back("--for");
    argv.push_back("1s");
    const test::ProcessResult ran = test::run_process(argv);
    writer.kill(SIGKILL);
    writer.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json last = Json::parse(ran.out);
    const auto lineages = r.lineages();
    REQUIRE_FALSE(lineages.empty());
    CHECK(lineages.size() <= 5);
    if (checkpoint_pages == "100000") {
        CHECK(last["resumed"] == true);
        CHECK(lineages.size() == 1);
    } else if (last["resumed"] == false) {
        CHECK_THAT(last["new_lineage_reasons"][0].get<std::string>(), Catch::Contains("no longer holds its last shipped frame"));
    }
    // Every lineage replays to exactly its first point plus each transaction it shipped.
    for (const replica::StoredLineage& lineage : lineages) {
        INFO("lineage " << lineage.record.id);
        CHECK_FALSE(lineage.gap);
        r.check_replays_every_transaction(lineage);
    }
}

TEST_CASE("cli replicate: SIGTERM ships everything committed and exits 0, the writer's kill leaves nothing uncommitted") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C or a close event to one child process: console events reach the whole console");
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "1000");
    test::Child replicate(r.replicate_args(""));
    std::this_thread::sleep_for(1500ms);
    writer.kill(SIGKILL);  // mid-transaction, most likely
    writer.wait();
    const long committed = test::committed(r.progress);
    replicate.kill(SIGTERM);
    const test::ProcessResult stopped = replicate.wait();
    INFO(stopped.out << stopped.err);
    REQUIRE(stopped.exit_code == 0);
    CHECK(Json::parse(stopped.out)["stopped_by"] == "SIGTERM");
    const std::int64_t seq = r.restore_at(system_clock().now());
    CHECK((seq == committed || seq == committed + 1));  // its progress file may lag its last commit by one
}

TEST_CASE("cli replicate: a checkpoint it did not run starts a new lineage from a fresh base, with no gap while it runs") {
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "0");
    r.replicate_for("1s");
    // While it is stopped another process empties the WAL: the frames after its position are gone from the log.
    std::this_thread::sleep_for(200ms);
    {
        Database other = Database::open(r.db, Database::Mode::read_write);
        other.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    test::Child replicate(r.replicate_args("3s"));
    // And while it runs, the same checkpoint between its polls cannot take frames it has not shipped.
    for (int i = 0; i < 10; ++i) {
        std::this_thread::sleep_for(150ms);
        Database other = Database::open(r.db, Database::Mode::read_write, 1s);
        other.query_int("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const test::ProcessResult ran = replicate.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    writer.kill(SIGKILL);
    writer.wait();
    const Json result = Json::parse(ran.out);
    CHECK(result["resumed"] == false);
    CHECK_THAT(result["new_lineage_reasons"][0].get<std::string>(), Catch::Contains("no longer holds its last shipped frame"));
    const auto lineages = r.lineages();
    REQUIRE(lineages.size() >= 2);
    // Each lineage this run wrote continues from the one before: the next one's first point follows at once.
    for (std::size_t i = 2; i < lineages.size(); ++i) {
        CHECK(*lineages[i].first_point() - *lineages[i - 1].last_point() < 2s);
    }
    const replica::StoredLineage& newest = lineages.back();
    r.check_replays_every_transaction(newest);
}

TEST_CASE("cli replicate: the database restored under it is noticed and replication goes on from the restored one") {
    SONIABK_SKIP_ON_WINDOWS("Windows cannot replace a file another process holds open: restore refuses it instead");
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "1000");
    std::this_thread::sleep_for(300ms);
    writer.kill(SIGKILL);
    writer.wait();
    const test::ProcessResult backup = test::run_soniabk({"backup", "db", "--repo", r.repo.string(), "--db", r.db.string()});
    REQUIRE(backup.exit_code == 0);
    test::Child replicate(r.replicate_args("4s"));
    std::this_thread::sleep_for(1500ms);
    const test::ProcessResult restore = test::run_soniabk(
        {"restore", "--latest", "--force", "--repo", r.repo.string(), "--db", r.db.string()});
    INFO(restore.out << restore.err);
    REQUIRE(restore.exit_code == 0);
    test::Child again = test::start_writer(r.db, r.progress, 100, "1000");
    const test::ProcessResult ran = replicate.wait();
    again.kill(SIGKILL);
    again.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json result = Json::parse(ran.out);
    CHECK(result["lineages"].size() >= 2);
    const auto lineages = r.lineages();
    const std::int64_t seq = r.restore_at(*lineages.back().last_point());
    CHECK(seq >= 100);
}

TEST_CASE("cli replicate: near --max-wal-mib SONIA waits behind the barrier while the backlog ships, in one lineage") {
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "0");
    // --checkpoint-pages higher than the WAL limit: only the brake keeps the WAL bounded. The limit leaves room for
    // what the writer appends while the first base is taken, when nothing can be checkpointed.
    std::vector<std::string> argv = r.replicate_args("4s");
    for (const char* arg : {"--max-wal-mib", "24", "--checkpoint-pages", "100000"}) argv.push_back(arg);
    const test::ProcessResult ran = test::run_process(argv);
    writer.kill(SIGKILL);
    writer.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json result = Json::parse(ran.out);
    CHECK(result["brakes"].get<std::uint64_t>() >= 2);  // the log restarted after the first and came back
    CHECK(result["truncations"] == 0);
    CHECK(result["lineages"].size() == 1);
    CHECK(result["max_wal_bytes"].get<std::uint64_t>() <= std::uint64_t{24} << 20);
    CHECK(fs::file_size(r.db.string() + "-wal") <= std::uint64_t{24} << 20);
    const auto lineages = r.lineages();
    REQUIRE(lineages.size() == 1);
    CHECK_FALSE(lineages.back().gap);
    CHECK(r.restore_at(*lineages.back().last_point()) > 100);
}

TEST_CASE("cli replicate: a reader that keeps checkpoints from completing meets the TRUNCATE brake and a new lineage") {
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "0");
    std::this_thread::sleep_for(300ms);
    // Another process's read transaction on an old snapshot: no checkpoint can pass it.
    std::optional<Database> reader = Database::open(r.db, Database::Mode::read_only);
    reader->exec("BEGIN");
    reader->query_int("SELECT count(*) FROM sqlite_schema");
    std::vector<std::string> argv = r.replicate_args("5s");
    for (const char* arg : {"--max-wal-mib", "2"}) argv.push_back(arg);
    test::Child replicate(argv);
    std::this_thread::sleep_for(2500ms);
    reader.reset();  // the TRUNCATE waiting for it (up to --busy-timeout, 10 s) can now empty the WAL
    const test::ProcessResult ran = replicate.wait();
    writer.kill(SIGKILL);
    writer.wait();
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json result = Json::parse(ran.out);
    CHECK(result["truncations"].get<std::uint64_t>() >= 1);
    CHECK(result["lineages"].size() >= 2);
    CHECK_THAT(result["new_lineage_reasons"].dump(), Catch::Contains("--max-wal") && Catch::Contains("TRUNCATE"));
    const auto lineages = r.lineages();
    REQUIRE_FALSE(lineages.empty());
    CHECK(r.restore_at(*lineages.back().last_point()) > 100);
}

TEST_CASE("cli replicate: drill --at rehearses the restore of a point between backups, replayed through the lineage") {
    Replicated r;
    test::create_sample_db(r.db, {.memories = 50});
    test::Child writer = test::start_writer(r.db, r.progress, 50, "1000");
    r.replicate_for("3s");
    writer.kill(SIGKILL);
    writer.wait();
    const auto lineages = r.lineages();
    REQUIRE(lineages.size() == 1);
    const replica::StoredLineage& lineage = lineages.back();
    REQUIRE(lineage.segments.size() > lineage.record.fixup_segments + 2);
    const TimePoint at = lineage.segments[(lineage.record.fixup_segments + lineage.segments.size()) / 2].last_commit;
    const test::ProcessResult ran =
        test::run_soniabk({"--json", "drill", "--repo", r.repo.string(), "--at", format_iso8601(at)});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    const Json drill = Json::parse(ran.out);
    CHECK(drill["passed"] == true);
    CHECK(drill["backup_id"] == lineage.record.base_backup_id);
    CHECK(drill["point"]["committed_at"] == format_iso8601(at));
    CHECK(drill["point"]["lineage_id"] == lineage.record.id);
    CHECK_THAT(test::drill_step(drill, "restore_database")["detail"].get<std::string>(), Catch::Contains("replayed to"));
}

TEST_CASE("cli replicate: a database not in WAL mode is refused in one line naming it") {
    Replicated r;
    {
        Database db = Database::open(r.db, Database::Mode::create);
        db.exec("CREATE TABLE t(x)");
    }
    const test::ProcessResult ran = test::run_process(r.replicate_args("1s"));
    CHECK(ran.exit_code == 3);
    CHECK_THAT(ran.err, Catch::Contains("not in WAL mode") && Catch::Contains(r.db.string()));
    CHECK(Json::parse(ran.out)["error"]["code"] == "not_wal");
}

TEST_CASE("cli replicate: list --points shows each lineage's range, status reports the lag and fails past the RPO") {
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "1000");
    const Json ran = r.replicate_for("2s");
    writer.kill(SIGKILL);
    writer.wait();
    const test::ProcessResult listed = test::run_soniabk({"--json", "list", "--points", "--repo", r.repo.string()});
    INFO(listed.out << listed.err);
    REQUIRE(listed.exit_code == 0);
    const Json points = Json::parse(listed.out)["lineages"];
    REQUIRE(points.size() == 1);
    CHECK(points[0]["lineage_id"] == ran["lineages"][0]);
    CHECK(points[0]["restorable"] == true);
    CHECK(points[0]["last_point"] == ran["last_commit_at"]);
    CHECK(points[0]["transactions"].get<std::uint64_t>() > 0);
    const test::ProcessResult text = test::run_soniabk({"list", "--points", "--repo", r.repo.string()});
    CHECK_THAT(text.out, Catch::Contains("restorable") && Catch::Contains(ran["lineages"][0].get<std::string>()));

    const fs::path metrics = r.dir / "soniabk.prom";
    const test::ProcessResult status = test::run_soniabk(
        {"--json", "status", "--repo", r.repo.string(), "--prometheus", metrics.string()});
    INFO(status.out << status.err);
    const Json replication = Json::parse(status.out)["replication"];
    REQUIRE(replication.size() == 1);
    CHECK(replication[0]["database"] == fs::absolute(r.db).lexically_normal().string());
    CHECK(replication[0]["running"] == false);
    CHECK(replication[0]["last_commit_at"] == ran["last_commit_at"]);
    CHECK(replication[0]["lag_seconds"].get<double>() < 30);
    const std::string prom = test::read_text(metrics);
    CHECK_THAT(prom, Catch::Contains("soniabk_replication_lag_seconds{database=") &&
                         Catch::Contains("soniabk_replication_last_commit_timestamp_seconds{database=") &&
                         Catch::Contains("soniabk_wal_bytes{database="));
    std::this_thread::sleep_for(1500ms);
    const test::ProcessResult late = test::run_soniabk({"status", "--repo", r.repo.string(), "--rpo", "1s"});
    CHECK(late.exit_code == 1);
    CHECK_THAT(late.out + late.err, Catch::Contains("replication of") && Catch::Contains("replicate is not running"));
}

TEST_CASE("cli replicate: prune keeps a lineage's base while its points are in the window, then removes both") {
    Replicated r;
    test::Child writer = test::start_writer(r.db, r.progress, 50, "1000");
    const Json ran = r.replicate_for("1s");
    writer.kill(SIGKILL);
    writer.wait();
    REQUIRE(test::run_soniabk({"backup", "db", "--label", "replica", "--format", "files", "--repo", r.repo.string(), "--db",
                               r.db.string()}).exit_code == 0);
    const auto lineages = r.lineages();
    REQUIRE(lineages.size() == 1);
    const std::string base = lineages.front().record.base_backup_id;
    const test::ProcessResult planned =
        test::run_soniabk({"--json", "prune", "--keep-last", "1", "--dry-run", "--repo", r.repo.string()});
    INFO(planned.out << planned.err);
    REQUIRE(planned.exit_code == 0);
    const Json plan = Json::parse(planned.out);
    bool base_kept = false;
    for (const Json& k : plan["kept"]) {
        if (k["backup_id"] == base) base_kept = k["reasons"].dump().find("base of replication lineage") != std::string::npos;
    }
    CHECK(base_kept);
    CHECK(plan["removed_lineages"].empty());

    std::this_thread::sleep_for(1500ms);
    const test::ProcessResult pruned = test::run_soniabk(
        {"--json", "prune", "--keep-last", "1", "--keep-points-within", "1s", "--repo", r.repo.string()});
    INFO(pruned.out << pruned.err);
    REQUIRE(pruned.exit_code == 0);
    const Json result = Json::parse(pruned.out);
    REQUIRE(result["removed_lineages"].size() == 1);
    CHECK(result["removed_lineages"][0]["lineage_id"] == ran["lineages"][0]);
    REQUIRE(result["removed"].size() == 1);
    CHECK(result["removed"][0]["backup_id"] == base);
    CHECK(r.lineages().empty());
    CHECK(storage::LocalStorage(r.repo).list("replica/").empty());
}
