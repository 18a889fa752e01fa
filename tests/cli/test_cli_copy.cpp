// soniabk copy through the binary: both formats, plain and encrypted; only what is missing on a second
// run; damage caught before it is published; a real SIGKILL mid-copy then a rerun; --bwlimit; backup db with [copy] to.
#include "cli_fixture.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

using namespace soniabk;
using namespace std::chrono_literals;
using soniabk::test::CliFixture;
namespace fs = std::filesystem;

namespace {

// A source repository (the fixture's) and an off-site one, both made by `init` with one format.
struct Offsite {
    CliFixture f;
    fs::path dest = f.dir / "offsite";
    fs::path key = f.dir / "k.key";
    test::ProcessOptions keyed{{{"SONIABK_KEY_FILE", key.string()}}, {}, {}};

    Offsite(const std::string& format, int memories) : f({.memories = memories}) {
        REQUIRE(f.run({"init", "--format", format}).exit_code == 0);
        REQUIRE(test::run_soniabk({"init", "--repo", dest.string(), "--format", format}).exit_code == 0);
        REQUIRE(test::run_soniabk({"keygen", key.string()}).exit_code == 0);
    }
    Json back_up(bool encrypted) const {
        std::vector<std::string> args{"backup", "db"};
        if (encrypted) args.push_back("--encrypt");
        return f.run_json(args, 0, keyed);
    }
    Json copy(std::vector<std::string> extra, int expected_exit = 0) const {
        std::vector<std::string> args{"copy", "--to", dest.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return f.run_json(args, expected_exit);
    }
    // Runs soniabk against the off-site repository.
    Json at_dest(std::vector<std::string> args, int expected_exit = 0) const {
        args.insert(args.end(), {"--repo", dest.string(), "--json"});
        const test::ProcessResult r = test::run_soniabk(args, keyed);
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_code == expected_exit);
        return Json::parse(r.out);
    }
    bool all_verify_deep() const { return at_dest({"verify", "--all", "--deep"})["ok"] == true; }
};

std::size_t manifests_in(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) n += e.path().string().ends_with(".manifest.json");
    return n;
}

}  // namespace

TEST_CASE("cli copy: files and page-store backups, plain and encrypted, arrive and verify deep") {
    const std::string format = GENERATE("files", "pages");
    const bool encrypted = GENERATE(false, true);
    INFO(format << (encrypted ? " encrypted" : " plain"));
    Offsite o(format, 600);
    const std::string first = o.back_up(encrypted)["backup_id"];
    const std::string second = o.back_up(encrypted)["backup_id"];

    const Json copied = o.copy({"--all"});
    CHECK(copied["ok"] == true);
    CHECK(copied["copied"] == Json::array({first, second}));
    CHECK(copied["skipped"] == Json::array());
    CHECK(copied["objects_copied"].get<int>() >= 4);
    CHECK(copied["bytes_copied"].get<std::uint64_t>() > 0);
    CHECK(copied["newest_backup_id"] == second);
    CHECK(o.all_verify_deep());
    if (encrypted && format == "pages") CHECK(fs::exists(o.dest / "pages" / "key.json"));

    const Json again = o.copy({"--all"});
    CHECK(again["copied"] == Json::array());
    CHECK(again["skipped"] == Json::array({first, second}));
    CHECK(again["objects_copied"] == 0);
    CHECK(again["bytes_copied"] == 0);

    const std::string third = o.back_up(encrypted)["backup_id"];
    const Json latest = o.copy({"--latest"});
    CHECK(latest["copied"] == Json::array({third}));
    // files: the data file and its manifest; pages: the map and the manifest, plus any new pack and index.
    CHECK(latest["objects_copied"].get<int>() >= 2);
    if (format == "files") CHECK(latest["objects_copied"] == 2);
}

TEST_CASE("cli copy: an encrypted page store only goes into one with the same key record") {
    Offsite o("pages", 200);
    o.back_up(true);
    // The destination's own encrypted backup gave it a key record with another salt.
    const test::ProcessResult own = test::run_soniabk(
        {"backup", "db", "--encrypt", "--repo", o.dest.string(), "--db", o.f.db.string()}, o.keyed);
    REQUIRE(own.exit_code == 0);
    const Json refused = o.copy({}, 2);
    CHECK(refused["error"]["code"] == "copy_incompatible");
    const std::string message = refused["error"]["message"];
    CHECK(message.find((o.f.repo / "pages" / "key.json").string()) != std::string::npos);
    CHECK(message.find((o.dest / "pages" / "key.json").string()) != std::string::npos);
}

TEST_CASE("cli copy: a damaged source file fails the copy with exit 3 and leaves no manifest") {
    Offsite o("files", 300);
    const Json backup = o.back_up(false);
    {
        std::fstream data(backup["path"].get<std::string>(), std::ios::in | std::ios::out | std::ios::binary);
        data.seekp(4096);
        data.put('\x7f');
    }
    const Json failed = o.copy({}, 3);
    CHECK(failed["error"]["code"] == "copy_mismatch");
    CHECK(manifests_in(o.dest / "db") == 0);
    CHECK(o.at_dest({"list"})["backups"] == Json::array());
}

TEST_CASE("cli copy: killed by SIGKILL mid-copy, the rerun copies the rest and every copy verifies deep") {
    Offsite o("files", 20000);
    for (int i = 0; i < 3; ++i) o.back_up(false);
    const std::uint64_t size = fs::file_size(o.f.repo / "db" / o.f.files().front());
    // About 1.5 s a backup at this rate: the kill lands while a file is on its way.
    const std::string rate = std::to_string(std::max<std::uint64_t>(size * 2 / 3, 64 * 1024));
    test::Child copy({test::soniabk_binary().string(), "copy", "--all", "--to", o.dest.string(), "--bwlimit", rate,
                      "--repo", o.f.repo.string()});
    std::this_thread::sleep_for(2s);
    REQUIRE(copy.running());
    copy.kill(SIGKILL);
    REQUIRE(copy.wait().signal == SIGKILL);

    const Json list = o.at_dest({"list"});
    const std::size_t complete_before = manifests_in(o.dest / "db");
    CHECK(complete_before < 3);  // it was stopped before the end
    for (const auto& b : list["backups"]) {
        if (b["complete"] == true) CHECK(o.at_dest({"verify", b["backup_id"].get<std::string>()})["ok"] == true);
    }
    const Json rerun = o.copy({"--all"});
    CHECK(rerun["copied"].size() == 3 - complete_before);
    CHECK(rerun["skipped"].size() == complete_before);
    CHECK(manifests_in(o.dest / "db") == 3);
    CHECK(o.all_verify_deep());
}

TEST_CASE("cli copy: --bwlimit measurably slows a copy") {
    Offsite o("files", 8000);
    o.back_up(false);
    const std::uint64_t size = fs::file_size(o.f.repo / "db" / o.f.files().front());
    const double limited_seconds = o.copy({"--bwlimit", std::to_string(size)})["duration_seconds"];  // ~1 s
    CHECK(limited_seconds >= 0.8);
    fs::remove_all(o.dest / "db");
    fs::create_directories(o.dest / "db");
    const double free_seconds = o.copy({})["duration_seconds"];
    CHECK(free_seconds < limited_seconds / 2);
    CHECK(o.f.run_json({"copy", "--to", o.dest.string(), "--bwlimit", "fast"}, 2)["error"]["code"] == "usage");
}

TEST_CASE("cli copy: backup db copies each new backup to [copy] to, and status reports the target") {
    Offsite o("pages", 500);
    const fs::path config = o.f.dir / "soniabk.toml";
    test::write_text(config, "[copy]\nto = \"" + o.dest.generic_string() + "\"\n");
    const test::ProcessOptions with_config{{{"SONIABK_CONFIG", config.string()}}, {}, {}};

    const Json backup = o.f.run_json({"backup", "db"}, 0, with_config);
    const std::string id = backup["backup_id"];
    CHECK(backup["copy"]["copied"] == Json::array({id}));
    CHECK(o.all_verify_deep());

    const fs::path prom = o.f.dir / "soniabk.prom";
    const Json status = o.f.run_json({"status", "--prometheus", prom.string()}, 0, with_config);
    REQUIRE(status["offsite"].size() == 1);
    CHECK(status["offsite"][0]["target"] == fs::absolute(o.dest).lexically_normal().string());
    CHECK(status["offsite"][0]["newest"]["backup_id"] == id);
    CHECK(status["offsite"][0]["rpo_violated"] == false);
    const std::string metrics = test::read_text(prom);
    CHECK(metrics.find("soniabk_offsite_last_copy_timestamp_seconds{target=") != std::string::npos);
    CHECK(metrics.find("soniabk_offsite_lag_seconds{target=") != std::string::npos);
    const Json stale = o.f.run_json({"status", "--rpo", "1ms"}, 1, with_config);
    CHECK(stale["offsite"][0]["rpo_violated"] == true);
    CHECK(stale["problems"].dump().find("off-site") != std::string::npos);

    SECTION("a failed copy fails the run with exit 3, the local backup stays good") {
        test::write_text(config, "[copy]\nto = \"" + (o.f.dir / "not-a-repo").generic_string() + "\"\n");
        fs::create_directories(o.f.dir / "not-a-repo");
        const Json failed = o.f.run_json({"backup", "db"}, 3, with_config);
        CHECK(failed["error"]["code"] == "not_a_repository");
        const std::string message = failed["error"]["message"];
        CHECK(message.find("is complete in") != std::string::npos);
        CHECK(o.f.run_json({"verify", "--latest", "--deep"})["ok"] == true);
        CHECK(o.f.run_json({"list"})["backups"].size() == 2);
    }
}
