// soniabk schedule: scheduler entries for Windows, systemd and cron; --install never replaces an entry.
#include "base/json.hpp"
#include "cli_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

namespace {

// This machine's own scheduler, and how its jobs start: only its jobs pin paths (they mean nothing elsewhere).
#ifdef _WIN32
const std::string native_platform = "windows";
const std::string native_binary = "C:\\soniabk\\soniabk.exe";
const std::string native_job = "/tr \"" + native_binary;
#else
const std::string native_platform = "systemd";
const std::string native_binary = "/usr/bin/soniabk";
const std::string native_job = "ExecStart=" + native_binary;
#endif

}  // namespace

TEST_CASE("cli schedule: systemd units run backup + prune nightly, verify weekly, drill monthly") {
    TempDir dir;
    const auto r = run_soniabk({"schedule", "--platform", "systemd", "--at", "01:30", "--binary", "/usr/bin/soniabk"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    CHECK(has(r.out, "ExecStart=/usr/bin/soniabk backup db\nExecStart=/usr/bin/soniabk prune\n"));
    CHECK(has(r.out, "OnCalendar=*-*-* 01:30:00"));
    CHECK(has(r.out, "ExecStart=/usr/bin/soniabk verify --deep\nExecStart=/usr/bin/soniabk verify --read-data-subset auto/4\n"));
    CHECK(has(r.out, "OnCalendar=Sun *-*-* 02:30:00"));
    CHECK(has(r.out, "ExecStart=/usr/bin/soniabk drill"));
    CHECK(has(r.out, "OnCalendar=*-*-01 03:30:00"));
    CHECK(has(r.out, "Persistent=true"));
    CHECK(has(r.out, "systemctl enable --now soniabk-nightly.timer soniabk-weekly.timer soniabk-monthly.timer"));
}

TEST_CASE("cli schedule: the jobs carry the repository and database this run sees, or it warns") {
    TempDir dir;
    ProcessOptions with_settings = in_dir(dir);
    with_settings.env["SONIABK_REPO"] = "repo";
    with_settings.env["SONIABK_DB"] = (dir / "memory.db").string();
    const auto pinned = run_soniabk({"schedule", "--platform", native_platform, "--binary", native_binary}, with_settings);
    REQUIRE(pinned.exit_code == 0);
    const std::string repo = (std::filesystem::path(dir.path()) / "repo").string();
    CHECK(has(pinned.out, native_job + " --repo " + repo + " --db " + (dir / "memory.db").string() + " backup db"));
    CHECK_FALSE(has(pinned.err, "warning"));
    const auto bare = run_soniabk({"--json", "schedule", "--platform", "cron"}, in_dir(dir));
    REQUIRE(bare.exit_code == 0);
    CHECK(has(bare.err, "soniabk: warning: the jobs carry no --config and no --repo/--db"));
    CHECK(Json::parse(bare.out)["warnings"].size() == 1);
}

TEST_CASE("cli schedule: cron lines and Windows schtasks lines") {
    TempDir dir;
    auto r = run_soniabk({"schedule", "--platform", "cron", "--at", "23:45", "--binary", "/opt/soniabk"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    CHECK(has(r.out, "45 23 * * * /opt/soniabk backup db && /opt/soniabk prune\n"));
    // +1h wraps past midnight
    CHECK(has(r.out, "45 0 * * 0 /opt/soniabk verify --deep && /opt/soniabk verify --read-data-subset auto/4\n"));
    CHECK(has(r.out, "45 1 1 * * /opt/soniabk drill\n"));

    r = run_soniabk({"schedule", "--platform", "windows", "--json"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    const Json doc = Json::parse(r.out);
    REQUIRE(doc["lines"].size() == 5);
    for (const auto& line : doc["lines"]) {
        const std::string text = line.get<std::string>();
        CHECK(text.starts_with("schtasks /create /tn \"soniabk\\"));
        CHECK(has(text, "/ru SYSTEM"));
        CHECK_FALSE(has(text, " /f"));  // never replaces an existing task
    }
    CHECK(has(doc["lines"][0].get<std::string>(), "backup db\" /sc DAILY /st 02:00"));
    CHECK(has(doc["lines"][1].get<std::string>(), "prune\" /sc DAILY /st 02:30"));
    CHECK(has(doc["lines"][2].get<std::string>(), "verify --deep\" /sc WEEKLY /d SUN /st 03:00"));
    CHECK(has(doc["lines"][3].get<std::string>(), "verify --read-data-subset auto/4\" /sc WEEKLY /d SUN /st 03:30"));
    CHECK(has(doc["lines"][4].get<std::string>(), "drill\" /sc MONTHLY /d 1 /st 04:00"));
#ifdef _WIN32
    CHECK(has(doc["lines"][0].get<std::string>(), "\\soniabk.exe backup db\""));  // this one, on Windows
#else
    CHECK(has(doc["lines"][0].get<std::string>(), "\\\"C:\\Program Files\\soniabk\\soniabk.exe\\\" backup db"));
#endif
}

TEST_CASE("cli schedule: bad input") {
    TempDir dir;
    for (const char* at : {"25:00", "2:00", "02:60", "noon"}) {
        const auto r = run_soniabk({"schedule", "--platform", "cron", "--at", at}, in_dir(dir));
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "is not a time of day"));
    }
    CHECK(run_soniabk({"schedule", "--platform", "launchd"}, in_dir(dir)).exit_code == 2);
#ifndef _WIN32
    const auto elsewhere = run_soniabk({"schedule", "--platform", "windows", "--install"}, in_dir(dir));
    CHECK(elsewhere.exit_code == 2);
    CHECK(has(elsewhere.err, "on Windows only"));
#endif
}

TEST_CASE("cli schedule: --install writes units once and never replaces a different one") {
    TempDir dir;
    const std::vector<std::string> install = {"schedule", "--platform", "systemd", "--install", "--unit-dir",
                                              (dir / "units").string(), "--binary", "/usr/bin/soniabk", "--json"};
    std::filesystem::create_directories(dir / "units");
    auto r = run_soniabk(install, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    const Json doc = Json::parse(r.out);
    REQUIRE(doc["files"].size() == 6);
    for (const auto& f : doc["files"]) CHECK(f["status"] == "written");
    CHECK(has(read_text(dir / "units" / "soniabk-nightly.service"), "ExecStart=/usr/bin/soniabk backup db"));

    SECTION("again: identical files are left alone") {
        r = run_soniabk(install, in_dir(dir));
        REQUIRE(r.exit_code == 0);
        const Json again = Json::parse(r.out);  // a range-for over a temporary's member would dangle
        for (const auto& f : again["files"]) CHECK(f["status"] == "unchanged");
    }
    SECTION("an existing different entry stops everything, nothing written") {
        write_text(dir / "units" / "soniabk-weekly.timer", "# mine\n");
        std::filesystem::remove(dir / "units" / "soniabk-monthly.service");
        r = run_soniabk(install, in_dir(dir));
        CHECK(r.exit_code == 3);
        CHECK(has(r.err, "soniabk-weekly.timer"));
        CHECK(read_text(dir / "units" / "soniabk-weekly.timer") == "# mine\n");
        CHECK_FALSE(std::filesystem::exists(dir / "units" / "soniabk-monthly.service"));
    }
    SECTION("cron: one /etc/cron.d style file") {
        r = run_soniabk({"schedule", "--platform", "cron", "--install", "--unit-dir", (dir / "units").string(),
                         "--binary", "/usr/bin/soniabk"},
                        in_dir(dir));
        REQUIRE(r.exit_code == 0);
        CHECK(has(read_text(dir / "units" / "soniabk"), "0 2 * * * root /usr/bin/soniabk backup db && /usr/bin/soniabk prune"));
    }
}

TEST_CASE("cli schedule: a config file found outside the system location is pinned with --config") {
    TempDir dir;
    write_text(dir / "soniabk.toml", "repo = \"/srv/backups\"\n");
    const auto r = run_soniabk({"schedule", "--platform", native_platform, "--binary", native_binary}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    const std::string config = (dir / "soniabk.toml").string();
    CHECK(has(r.out, native_job + " --config " + config + " backup db"));
}

TEST_CASE("cli schedule: --replicate adds a service that starts at boot and restarts replicate when it stops") {
    TempDir dir;
    std::filesystem::create_directories(dir / "units");
    const auto systemd = run_soniabk({"--json", "schedule", "--platform", "systemd", "--replicate", "--binary",
                                      "/usr/bin/soniabk", "--unit-dir", (dir / "units").string(), "--install"},
                                     in_dir(dir));
    INFO(systemd.out << systemd.err);
    REQUIRE(systemd.exit_code == 0);
    const std::string unit = read_text(dir / "units" / "soniabk-replicate.service");
    CHECK(has(unit, "Type=simple\nExecStart=/usr/bin/soniabk replicate\n"));
    CHECK(has(unit, "Restart=on-failure"));
    CHECK(has(unit, "WantedBy=multi-user.target"));
    CHECK(has(Json::parse(systemd.out)["next_steps"].dump(), "systemctl enable --now soniabk-replicate.service"));

    const auto windows = run_soniabk({"--json", "schedule", "--platform", "windows", "--replicate", "--binary",
                                      "C:\\soniabk\\soniabk.exe", "--unit-dir", "C:\\ProgramData\\soniabk"},
                                     in_dir(dir));
    REQUIRE(windows.exit_code == 0);
    const Json plan = Json::parse(windows.out);
    std::string task;
    for (const Json& f : plan["files"]) {
        if (f["path"].get<std::string>().find("soniabk-replicate.xml") != std::string::npos) task = f["content"];
    }
    CHECK(has(task, "<BootTrigger>"));
    CHECK(has(task, "<RestartOnFailure><Interval>PT1M</Interval>"));
    CHECK(has(task, "<Command>C:\\soniabk\\soniabk.exe</Command><Arguments>replicate</Arguments>"));
    bool registered = false;
    for (const Json& line : plan["lines"]) registered = registered || has(line.get<std::string>(), "schtasks /create /tn \"soniabk\\replicate\" /xml");
    CHECK(registered);

    const auto cron = run_soniabk({"schedule", "--platform", "cron", "--replicate", "--binary", "/opt/soniabk"}, in_dir(dir));
    REQUIRE(cron.exit_code == 0);
    CHECK(has(cron.out, "@reboot /opt/soniabk replicate"));
    CHECK(has(cron.err, "never restarts it"));
}
