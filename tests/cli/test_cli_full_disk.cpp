// A real full disk (a small tmpfs) and a real read-only remount under backup and restore. Needs root on Linux
// (mount(8)); elsewhere each test says why it did not run.
#include "base/json.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace soniabk;
namespace fs = std::filesystem;

namespace {

// A tmpfs of `size` mounted at `dir` for the test's lifetime; empty() when this machine cannot mount one.
class SmallDisk {
public:
    SmallDisk(const fs::path& dir, const std::string& size) : dir_(dir) {
        fs::create_directories(dir);
        mounted_ = mount({"-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.string()});
    }
    ~SmallDisk() {
        if (mounted_) test::run_process({"/bin/umount", "-l", dir_.string()});
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    bool mounted() const { return mounted_; }
    bool remount(const std::string& options) const { return mount({"-o", "remount," + options, dir_.string()}); }

private:
    static bool mount(std::vector<std::string> args) {
#ifdef __linux__
        args.insert(args.begin(), "/bin/mount");
        return test::run_process(args).exit_code == 0;
#else
        (void)args;
        return false;
#endif
    }
    fs::path dir_;
    bool mounted_ = false;
};

#define REQUIRE_SMALL_DISK(disk)                                                                               \
    if (!(disk).mounted()) {                                                                                   \
        WARN("skipped: cannot mount a tmpfs here (needs Linux and root); the disk-full paths are walked by "    \
             "the injected-fault tests instead");                                                             \
        return;                                                                                                \
    }

test::ProcessResult run_sk(const fs::path& repo, const fs::path& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "--repo", repo.string(), "--db", db.string()});
    return test::run_soniabk(args);
}

// Files whose names mark them as soniabk temps (`.<name>.tmp-<pid>-<n>`), anywhere below `dir`.
void check_every_backup_verifies(const fs::path& repo, const fs::path& db) {
    const auto verified = run_sk(repo, db, {"verify", "--all", "--deep"});
    INFO(verified.out);
    for (const auto& b : Json::parse(verified.out).value("backups", Json::array())) CHECK(b["passed"] == true);
}

}  // namespace

TEST_CASE("cli full disk: a backup that does not fit fails as disk_full, leaves nothing, and fits once there is room") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 12000});
    SmallDisk disk(dir / "disk", "1m");
    REQUIRE_SMALL_DISK(disk);
    const fs::path repo = dir / "disk" / "repo";
    fs::create_directories(repo);
    REQUIRE(run_sk(repo, db, {"init", "--format", "files"}).exit_code == 0);
    const auto full = run_sk(repo, db, {"backup", "db"});
    INFO(full.err);
    CHECK(full.exit_code == 3);
    CHECK(Json::parse(full.out)["error"]["code"] == "disk_full");
    CHECK_THAT(full.err, Catch::Contains("disk full"));
    CHECK(test::temps_below(repo).empty());
    CHECK(Json::parse(run_sk(repo, db, {"list"}).out)["backups"].empty());

    REQUIRE(disk.remount("size=64m"));
    const auto next = run_sk(repo, db, {"backup", "db"});
    INFO(next.err);
    CHECK(next.exit_code == 0);
    check_every_backup_verifies(repo, db);
}

TEST_CASE("cli full disk: a restore onto a full disk fails before the swap and the live database is untouched") {
    test::TempDir dir;
    const fs::path repo = dir / "repo";
    const fs::path source = dir / "elsewhere" / "memory.db";  // the same database, backed up on another disk
    fs::create_directories(source.parent_path());
    test::create_sample_db(source, {.memories = 12000});
    REQUIRE(run_sk(repo, source, {"init"}).exit_code == 0);
    REQUIRE(run_sk(repo, source, {"backup", "db"}).exit_code == 0);
    SmallDisk disk(dir / "disk", "1m");
    REQUIRE_SMALL_DISK(disk);
    const fs::path live = dir / "disk" / "memory.db";
    test::create_sample_db(live, {.memories = 100});
    const auto r = run_sk(repo, live, {"restore", "--latest"});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(Json::parse(r.out)["error"]["code"] == "no_space");  // measured before the copy begins
    CHECK(test::integrity_ok(live));
    CHECK(test::count_rows(live, "memories") == 100);
    CHECK(test::temps_below(dir / "disk").empty());
}

TEST_CASE("cli full disk: the repository's disk turning read-only mid-backup leaves every backup good") {
    test::TempDir dir;
    const fs::path db = dir / "memory.db";
    test::create_sample_db(db, {.memories = 60000});
    SmallDisk disk(dir / "disk", "256m");
    REQUIRE_SMALL_DISK(disk);
    const fs::path repo = dir / "disk" / "repo";
    fs::create_directories(repo);
    REQUIRE(run_sk(repo, db, {"init"}).exit_code == 0);
    REQUIRE(run_sk(repo, db, {"backup", "db"}).exit_code == 0);
    int failed_runs = 0;
    for (const int delay_ms : {-1, 0, 20, 60, 150}) {  // -1: read-only before the run starts
        INFO("remounted read-only after " << delay_ms << " ms");
        if (delay_ms < 0) REQUIRE(disk.remount("ro"));
        test::Child backup({test::soniabk_binary().string(), "--json", "--repo", repo.string(), "--db", db.string(),
                            "backup", "db", "--compress", "zstd"});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::max(delay_ms, 0)));
        // Linux refuses while a file is open for writing there: retry until a gap between two files, or the end.
        while (!disk.remount("ro") && backup.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto r = backup.wait();
        disk.remount("ro");
        INFO(r.err);
        CHECK(r.signal == 0);
        if (delay_ms < 0) CHECK(r.exit_code != 0);
        if (r.exit_code != 0) {
            ++failed_runs;
            CHECK(r.exit_code == 3);
            CHECK_THAT(r.err, Catch::Contains("Read-only file system") || Catch::Contains("permission"));
        }
        check_every_backup_verifies(repo, db);
        REQUIRE(disk.remount("rw"));
        const auto next = run_sk(repo, db, {"backup", "db"});
        INFO(next.err);
        CHECK(next.exit_code == 0);
    }
    if (failed_runs == 1) WARN("no remount landed mid-run this time (each came after the backup had finished)");
    check_every_backup_verifies(repo, db);
}
