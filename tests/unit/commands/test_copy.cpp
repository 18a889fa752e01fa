#include "base/error.hpp"
#include "commands/backup.hpp"
#include "commands/copy.hpp"
#include "commands/metrics.hpp"
#include "commands/status.hpp"
#include "commands/verify.hpp"
#include "io/throttle.hpp"
#include "prometheus_text.hpp"
#include "repo/repository.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace soniabk;
using namespace std::chrono_literals;

namespace {

// A source and a destination repository of one format, and a sample database to back up.
struct Repos {
    test::TempDir dir;
    fs::path db = dir / "memory.db";
    fs::path from = dir / "from";
    fs::path to = dir / "to";

    explicit Repos(BackupFormat format, int memories = 300) {
        test::create_sample_db(db, {.memories = memories});
        RepositoryConfig config;
        config.repository_id = new_repository_id();
        config.format = format;
        Repository::init(from, config);
        config.repository_id = new_repository_id();
        Repository::init(to, config);
    }
    std::string back_up() const {
        BackupDbOptions options;
        options.repo = from;
        options.db = db;
        return backup_database(options).manifest.backup_id;
    }
    CopyResult copy(CopySelection selection = CopySelection::all, std::vector<std::string> ids = {}) const {
        CopyOptions options;
        options.from = from;
        options.to = to;
        options.selection = selection;
        options.ids = std::move(ids);
        return copy_backups(options);
    }
    bool deep_verifies_at_destination() const {
        VerifyOptions options;
        options.repo = to;
        options.selection = VerifySelection::all;
        options.depth = VerifyDepth::deep;
        return verify_repository(options).ok;
    }
};

std::size_t count_objects(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("copy: files-format backups, then only what the destination lacks") {
    Repos r(BackupFormat::files);
    const std::string first = r.back_up();
    const std::string second = r.back_up();
    const CopyResult one = r.copy();
    CHECK(one.copied == std::vector<std::string>{first, second});  // oldest first
    CHECK(one.skipped.empty());
    CHECK(one.objects_copied == 4);  // two data files and their manifests
    CHECK(one.bytes_copied > 0);
    CHECK(one.newest_id == second);
    CHECK(r.deep_verifies_at_destination());

    const CopyResult again = r.copy();
    CHECK(again.copied.empty());
    CHECK(again.skipped.size() == 2);
    CHECK(again.objects_copied == 0);
    CHECK(again.bytes_copied == 0);

    const std::string third = r.back_up();
    const CopyResult latest = r.copy(CopySelection::latest);
    CHECK(latest.copied == std::vector<std::string>{third});
    CHECK(latest.objects_copied == 2);
}

TEST_CASE("copy: page-store backups bring their parents and only the packs the destination lacks") {
    Repos r(BackupFormat::pages, 2000);
    const std::string full = r.back_up();
    const std::string delta = r.back_up();  // unchanged database: a delta map, no new pack
    const CopyResult one = r.copy(CopySelection::ids, {delta});
    CHECK(one.copied == std::vector<std::string>{full, delta});  // the parent's map is needed to read the delta
    const std::size_t packs = count_objects(r.from / "pages" / "packs");
    REQUIRE(packs > 0);
    CHECK(count_objects(r.to / "pages" / "packs") == packs);
    CHECK(count_objects(r.to / "pages" / "index") == packs);
    CHECK(one.objects_copied == 2 * packs + 4);  // packs, index objects, two maps, two manifests
    CHECK(r.deep_verifies_at_destination());
    CHECK(r.copy().objects_copied == 0);
}

TEST_CASE("copy: a corrupted source object is caught before it is published and leaves no manifest") {
    Repos r(BackupFormat::files);
    const std::string id = r.back_up();
    const BackupEntry entry = find_backup(Repository::open(r.from).scan(), id);
    test::flip_byte(entry.data_path, 5000);
    try {
        r.copy();
        FAIL("the copy passed");
    } catch (const Error& e) {
        CHECK(e.code() == "copy_mismatch");
        CHECK(e.exit_code() == 3);
        CHECK(std::string(e.what()).find(entry.data_path.string()) != std::string::npos);
    }
    CHECK(count_objects(r.to / "db") == 0);  // neither the bad copy nor a manifest
}

TEST_CASE("copy: a corrupted pack is caught before it is published") {
    Repos r(BackupFormat::pages);
    r.back_up();
    const auto pack = *fs::directory_iterator(r.from / "pages" / "packs");
    test::flip_byte(pack.path(), 100);
    CHECK_THROWS_WITH(r.copy(), Catch::Contains("does not hold what its backup says"));
    CHECK(count_objects(r.to / "db") == 0);
    CHECK(count_objects(r.to / "pages" / "packs") == 0);
}

TEST_CASE("copy: a copy cut short resumes, finding what arrived intact") {
    Repos r(BackupFormat::pages);
    const std::string id = r.back_up();
    r.copy();
    // What a kill just before the manifest leaves: every other object published.
    const BackupEntry at_destination = find_backup(Repository::open(r.to).scan(), id);
    fs::remove(at_destination.manifest_path);
    fs::remove(fs::directory_iterator(r.to / "pages" / "index")->path());
    const CopyResult resumed = r.copy();
    CHECK(resumed.copied == std::vector<std::string>{id});
    CHECK(resumed.objects_copied == 2);   // the index object and the manifest
    CHECK(resumed.objects_present == 2);  // the pack and the map, read back and found intact
    CHECK(r.deep_verifies_at_destination());
}

TEST_CASE("copy: repositories of another format or not made by init are refused") {
    Repos r(BackupFormat::files);
    r.back_up();
    const fs::path pages_repo = r.dir / "pages-repo";
    RepositoryConfig config;
    config.repository_id = new_repository_id();
    config.format = BackupFormat::pages;
    Repository::init(pages_repo, config);
    CopyOptions options;
    options.from = r.from;
    options.to = pages_repo;
    CHECK_THROWS_WITH(copy_backups(options), Catch::Contains("format files") && Catch::Contains("format pages"));
    fs::create_directories(r.dir / "plain-dir");
    options.to = r.dir / "plain-dir";
    CHECK_THROWS_WITH(copy_backups(options), Catch::Contains("not a soniabk repository"));
}

TEST_CASE("copy: rates parse, and a throttle holds bytes to its rate") {
    CHECK(parse_rate("10M") == 10u << 20);
    CHECK(parse_rate("512k") == 512u << 10);
    CHECK(parse_rate("1G") == std::uint64_t{1} << 30);
    CHECK(parse_rate("2000000") == 2000000u);
    CHECK(parse_rate("10MB") == 10u << 20);
    CHECK(parse_rate("100B") == 100u);
    for (const char* bad : {"", "M", "0", "10X", "-1", "1.5M"}) {
        INFO(bad);
        CHECK_FALSE(parse_rate(bad).has_value());
    }
    Throttle throttle(4u << 20);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 16; ++i) throttle.consume(64u << 10);  // 1 MiB at 4 MiB/s
    CHECK(std::chrono::steady_clock::now() - started >= 240ms);
}

TEST_CASE("copy: status reports the off-site target, its lag and the RPO") {
    Repos r(BackupFormat::files);
    const std::string id = r.back_up();
    r.copy();
    const TimePoint created = find_backup(Repository::open(r.from).scan(), id).time;
    StatusOptions options;
    options.repo = r.from;
    const FixedClock soon(created + 2h);
    options.clock = &soon;
    const StatusResult fresh = repository_status(options);
    REQUIRE(fresh.offsite.size() == 1);
    CHECK(fresh.offsite[0].target == fs::absolute(r.to).lexically_normal().string());
    CHECK(fresh.offsite[0].newest_id == id);
    CHECK(fresh.offsite[0].lag == 2h);
    CHECK_FALSE(fresh.offsite[0].rpo_violated);
    // Parsed, not searched: the label escapes a Windows path's backslashes.
    const test::Exposition metrics = test::parse_prometheus_text(prometheus_text(fresh));
    const std::map<std::string, std::string> target{{"target", fresh.offsite[0].target}};
    CHECK(metrics.value("soniabk_offsite_last_copy_timestamp_seconds", target).has_value());
    CHECK(metrics.value("soniabk_offsite_lag_seconds", target) == 7200);

    const FixedClock late(created + 30h);
    options.clock = &late;
    const StatusResult stale = repository_status(options);
    CHECK(stale.offsite[0].rpo_violated);
    CHECK_FALSE(stale.ok);

    options.copy_to = r.dir / "never-copied";
    const StatusResult configured = repository_status(options);
    REQUIRE(configured.offsite.size() == 2);
    CHECK_FALSE(configured.offsite[0].newest_id.has_value());
    CHECK(configured.offsite[0].rpo_violated);
}
