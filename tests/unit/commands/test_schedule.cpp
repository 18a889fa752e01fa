#include "base/error.hpp"
#include "commands/schedule.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

ScheduleOptions schedule_options(SchedulePlatform platform, const std::string& at = "02:00") {
    ScheduleOptions o;
    o.platform = platform;
    o.at = at;
    o.binary = "/usr/local/bin/soniabk";
    return o;
}

}  // namespace

TEST_CASE("schedule: the same three jobs on every platform") {
    for (auto platform : {SchedulePlatform::windows, SchedulePlatform::systemd, SchedulePlatform::cron}) {
        const auto plan = plan_schedule(schedule_options(platform, "22:30"));
        REQUIRE(plan.jobs.size() == 3);
        CHECK(plan.jobs[0].commands == std::vector<std::vector<std::string>>{{"backup", "db"}, {"prune"}});
        CHECK(plan.jobs[0].when == "daily 22:30");
        CHECK(plan.jobs[1].commands ==
              std::vector<std::vector<std::string>>{{"verify", "--deep"}, {"verify", "--read-data-subset", "auto/4"}});
        CHECK(plan.jobs[1].when == "Sundays 23:30");
        CHECK(plan.jobs[2].commands == std::vector<std::vector<std::string>>{{"drill"}});
        CHECK(plan.jobs[2].when == "the 1st of each month 00:30");
        CHECK(plan.to_json()["platform"] == to_string(platform));
    }
}

TEST_CASE("schedule: arguments are quoted for each scheduler") {
    auto o = schedule_options(SchedulePlatform::systemd);
    o.binary = "/opt/so niabk/soniabk";
    o.global_args = {"--config", "/etc/100%/soniabk.toml"};
    auto plan = plan_schedule(o);
    CHECK(test::has(plan.files[0].content, "ExecStart=\"/opt/so niabk/soniabk\" --config \"/etc/100%%/soniabk.toml\" backup db\n"));
    o.platform = SchedulePlatform::cron;
    plan = plan_schedule(o);
    CHECK(test::has(plan.lines[1], "'/opt/so niabk/soniabk' --config '/etc/100\\%/soniabk.toml' backup db"));
    o.platform = SchedulePlatform::windows;
    o.binary = "C:\\Program Files\\soniabk\\soniabk.exe";
    o.global_args = {};
    plan = plan_schedule(o);
    CHECK(test::has(plan.lines[0], "/tr \"\\\"C:\\Program Files\\soniabk\\soniabk.exe\\\" backup db\""));
}

TEST_CASE("schedule: --at must be a time of day") {
    for (const char* bad : {"24:00", "2:00", "02:5", "02-00", "", "02:00 "}) {
        INFO(bad);
        CHECK_THROWS_AS(plan_schedule(schedule_options(SchedulePlatform::cron, bad)), Error);
    }
    CHECK(plan_schedule(schedule_options(SchedulePlatform::cron, "00:00")).at == "00:00");
    CHECK(plan_schedule(schedule_options(SchedulePlatform::cron, "23:59")).lines[3] ==
          "59 1 1 * * /usr/local/bin/soniabk drill");
}

TEST_CASE("schedule: install writes new files, keeps identical ones, refuses different ones") {
    test::TempDir dir;
    auto o = schedule_options(SchedulePlatform::systemd);
    o.install = true;
    o.install_dir = dir.path();
    auto plan = plan_schedule(o);
    CHECK(plan.installed);
    REQUIRE(plan.files.size() == 6);
    for (const auto& f : plan.files) {
        CHECK(f.status == "written");
        CHECK(test::read_text(f.path) == f.content);
    }
    plan = plan_schedule(o);
    for (const auto& f : plan.files) CHECK(f.status == "unchanged");
    test::write_text(dir / "soniabk-monthly.timer", "changed by hand\n");
    fs::remove(dir / "soniabk-nightly.service");
    try {
        plan_schedule(o);
        FAIL("replaced an entry");
    } catch (const Error& e) {
        CHECK(e.code() == "exists");
        CHECK(e.path() == dir / "soniabk-monthly.timer");
    }
    CHECK(test::read_text(dir / "soniabk-monthly.timer") == "changed by hand\n");
    CHECK_FALSE(fs::exists(dir / "soniabk-nightly.service"));  // checked everything before writing anything
}
