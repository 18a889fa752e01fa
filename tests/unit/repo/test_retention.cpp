#include "fake_repo.hpp"
#include "repo/retention.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace soniabk;
using namespace std::chrono_literals;
using test::at;
using Reasons = std::vector<std::string>;

namespace {

// Applies `policy` to backups taken at `times` (newest first) and returns the reasons per backup.
std::vector<Reasons> decide(const std::vector<std::string>& times, const RetentionPolicy& policy) {
    std::vector<TimePoint> points;
    for (const auto& t : times) points.push_back(at(t));
    return apply_policy(points, policy);
}

RetentionPolicy daily(int n) {
    RetentionPolicy p;
    p.keep_daily = n;
    return p;
}

BackupEntry entry(const std::string& id, const std::string& time, const std::string& label = "daily",
                  const std::string& kind = "db") {
    BackupEntry e;
    e.kind = kind;
    e.time = at(time);
    e.data_key = kind + "/" + id + ".db";
    e.data_path = "/repo/" + e.data_key;
    e.manifest_path = e.data_path.string() + ".manifest.json";
    Manifest m;
    m.backup_id = id;
    m.kind = kind;
    m.label = label;
    m.created_at = e.time;
    e.manifest = m;
    return e;
}

BackupEntry incomplete(const std::string& name, const std::string& modified) {
    BackupEntry e;
    e.status = BackupEntry::Status::incomplete;
    e.kind = "db";
    e.time = at(modified);
    e.data_key = "db/" + name;
    e.data_path = "/repo/" + e.data_key;
    e.manifest_path = e.data_path.string() + ".manifest.json";
    return e;
}

std::map<std::string, Reasons> kept(const RetentionPlan& plan) {
    std::map<std::string, Reasons> out;
    for (const auto& p : plan.keep) out[p.entry->id()] = p.reasons;
    return out;
}

std::map<std::string, std::string> removed(const RetentionPlan& plan) {
    std::map<std::string, std::string> out;
    for (const auto& p : plan.remove) out[p.entry->id()] = p.reasons.front();
    return out;
}

}  // namespace

TEST_CASE("retention: period keys are UTC days, ISO weeks and months") {
    CHECK(day_key(at("2026-11-25T23:59:59.999Z")) == "2026-11-25");
    CHECK(day_key(at("2026-11-26T00:00:00Z")) == "2026-11-26");
    SECTION("ISO weeks start on Monday and belong to the year of their Thursday") {
        CHECK(iso_week_key(at("2026-11-29T23:59:59Z")) == "2026-W48");  // Sunday
        CHECK(iso_week_key(at("2026-11-30T00:00:00Z")) == "2026-W49");  // Monday
        CHECK(iso_week_key(at("2020-12-31T12:00:00Z")) == "2020-W53");
        CHECK(iso_week_key(at("2021-01-03T12:00:00Z")) == "2020-W53");  // January, but week 53 of 2020
        CHECK(iso_week_key(at("2021-01-04T00:00:00Z")) == "2021-W01");
        CHECK(iso_week_key(at("2024-12-30T00:00:00Z")) == "2025-W01");  // December, but week 1 of 2025
        CHECK(iso_week_key(at("2026-01-01T00:00:00Z")) == "2026-W01");
        CHECK(iso_week_key(at("2027-01-01T00:00:00Z")) == "2026-W53");
    }
    CHECK(month_key(at("2026-02-28T23:59:59Z")) == "2026-02");
    CHECK(month_key(at("2026-03-01T00:00:00Z")) == "2026-03");
}

TEST_CASE("retention: keep-daily keeps each day's newest backup, and days without backups do not count") {
    // Two on the 26th, two on the 25th, none on the 24th (a gap), then one a day.
    const auto reasons = decide({"2026-11-26T02:00:00Z", "2026-11-26T01:00:00Z", "2026-11-25T23:59:00Z",
                                 "2026-11-25T00:00:00Z", "2026-11-23T12:00:00Z", "2026-11-22T02:00:00Z",
                                 "2026-11-20T02:00:00Z"},
                                daily(3));
    CHECK(reasons == std::vector<Reasons>{{"daily 2026-11-26"}, {}, {"daily 2026-11-25"}, {}, {"daily 2026-11-23"}, {}, {}});
}

TEST_CASE("retention: a day ends at midnight UTC") {
    const auto reasons = decide({"2026-11-26T00:00:00.000Z", "2026-11-25T23:59:59.999Z", "2026-11-25T00:00:00Z"}, daily(2));
    CHECK(reasons == std::vector<Reasons>{{"daily 2026-11-26"}, {"daily 2026-11-25"}, {}});
}

TEST_CASE("retention: keep-weekly uses ISO weeks, across a year boundary too") {
    RetentionPolicy weekly;
    weekly.keep_weekly = 3;
    SECTION("Sunday is the newest backup of its week") {
        std::vector<std::string> days;  // Mon 30 Nov back to Mon 16 Nov, one a day
        for (int d = 30; d >= 16; --d) days.push_back(fmt::format("2026-11-{:02}T02:00:00Z", d));
        const auto reasons = decide(days, weekly);
        CHECK(reasons[0] == Reasons{"weekly 2026-W49"});  // Monday 30th
        CHECK(reasons[1] == Reasons{"weekly 2026-W48"});  // Sunday 29th
        CHECK(reasons[8] == Reasons{"weekly 2026-W47"});  // Sunday 22nd
        for (std::size_t i : {2, 3, 7, 9, 14}) CHECK(reasons[i].empty());
    }
    SECTION("2 January 2021 is in 2020's week 53, with 30 December") {
        weekly.keep_weekly = 2;
        const auto reasons = decide({"2021-01-04T02:00:00Z", "2021-01-02T02:00:00Z", "2020-12-30T02:00:00Z"}, weekly);
        CHECK(reasons == std::vector<Reasons>{{"weekly 2021-W01"}, {"weekly 2020-W53"}, {}});
    }
}

TEST_CASE("retention: keep-monthly keeps each month's newest backup") {
    RetentionPolicy monthly;
    monthly.keep_monthly = 2;
    const auto reasons = decide({"2026-03-01T00:00:00Z", "2026-02-28T23:59:59Z", "2026-02-01T00:30:00Z",
                                 "2026-01-31T23:00:00Z"},
                                monthly);
    CHECK(reasons == std::vector<Reasons>{{"monthly 2026-03"}, {"monthly 2026-02"}, {}, {}});
}

TEST_CASE("retention: a backup kept by several rules carries every reason") {
    RetentionPolicy p;
    p.keep_last = 2;
    p.keep_daily = 2;
    p.keep_monthly = 1;
    const auto reasons = decide({"2026-11-26T02:00:00Z", "2026-11-26T01:00:00Z", "2026-11-25T02:00:00Z",
                                 "2026-11-24T02:00:00Z"},
                                p);
    CHECK(reasons == std::vector<Reasons>{{"last", "daily 2026-11-26", "monthly 2026-11"}, {"last"}, {"daily 2026-11-25"}, {}});
}

TEST_CASE("retention: keep-within counts back from the newest backup, not from now") {
    RetentionPolicy p;
    p.keep_within = 48h;
    const std::vector<BackupEntry> entries = {entry("a", "2026-11-26T00:00:00Z"), entry("b", "2026-11-24T00:00:01Z"),
                                              entry("c", "2026-11-24T00:00:00Z"), entry("d", "2026-11-01T00:00:00Z")};
    RetentionRules rules;
    rules.policy = p;
    // A month after the last backup: a stopped backup job must not let prune delete everything.
    const RetentionPlan plan = plan_retention(entries, rules, at("2026-12-31T00:00:00Z"));
    CHECK(kept(plan) == std::map<std::string, Reasons>{{"a", {"within 2d"}}, {"b", {"within 2d"}}});
    CHECK(removed(plan) == std::map<std::string, std::string>{{"c", "not kept by the policy"}, {"d", "not kept by the policy"}});
}

TEST_CASE("retention: only the policy's labels are subject to it, each kind and label on its own") {
    const std::vector<BackupEntry> entries = {
        entry("d3", "2026-11-26T02:00:00Z"), entry("m2", "2026-11-26T01:00:00Z", "manual"),
        entry("s2", "2026-11-25T03:00:00Z", "daily", "state"), entry("d2", "2026-11-25T02:00:00Z"),
        entry("m1", "2026-11-25T01:00:00Z", "manual"), entry("s1", "2026-11-24T03:00:00Z", "daily", "state"),
        entry("d1", "2026-11-24T02:00:00Z")};
    RetentionRules rules;
    rules.policy = daily(1);
    const TimePoint now = at("2026-11-26T03:00:00Z");
    SECTION("default: daily backups follow the policy, others are kept") {
        const RetentionPlan plan = plan_retention(entries, rules, now);
        CHECK(kept(plan) == std::map<std::string, Reasons>{{"d3", {"daily 2026-11-26"}},
                                                            {"s2", {"daily 2026-11-25"}},
                                                            {"m2", {"label 'manual' is not subject to the policy"}},
                                                            {"m1", {"label 'manual' is not subject to the policy"}}});
        CHECK(removed(plan).size() == 3);
        REQUIRE(plan.keep.size() == 4);
        CHECK(plan.keep.front().entry->id() == "d3");  // newest first
    }
    SECTION("--label manual: the policy applies to manual backups instead") {
        rules.labels = {"manual"};
        const RetentionPlan plan = plan_retention(entries, rules, now);
        CHECK(removed(plan) == std::map<std::string, std::string>{{"m1", "not kept by the policy"}});
        CHECK(kept(plan).at("d1") == Reasons{"label 'daily' is not subject to the policy"});
    }
}

TEST_CASE("retention: incomplete backups, invalid manifests and leftovers of an interrupted prune") {
    const TimePoint now = at("2026-11-26T12:00:00Z");
    BackupEntry invalid = incomplete("broken.db", "2026-10-01T00:00:00Z");
    invalid.status = BackupEntry::Status::invalid_manifest;
    const std::vector<BackupEntry> entries = {entry("d1", "2026-11-26T02:00:00Z"),
                                              incomplete("young.db", "2026-11-25T12:00:01Z"),
                                              incomplete("old.db", "2026-11-25T12:00:00Z"),
                                              incomplete("leftover.db", "2026-11-26T11:00:00Z"), invalid};
    RetentionRules rules;
    rules.pending_removal = {"db/leftover.db"};
    SECTION("by default incomplete backups stay, but leftovers of a prune go whatever their age") {
        const RetentionPlan plan = plan_retention(entries, rules, now);
        CHECK(kept(plan).at("young.db") == Reasons{"incomplete, younger than 1d"});
        CHECK(kept(plan).at("old.db") == Reasons{"incomplete (--clean-incomplete removes it)"});
        CHECK(kept(plan).at("broken.db") == Reasons{"invalid manifest: left for a human to inspect"});
        CHECK(removed(plan) == std::map<std::string, std::string>{{"leftover.db", "leftover of an interrupted prune"}});
    }
    SECTION("--clean-incomplete removes those older than a day") {
        rules.clean_incomplete = true;
        const RetentionPlan plan = plan_retention(entries, rules, now);
        CHECK(removed(plan).at("old.db") == "incomplete, older than 1d");
        CHECK(kept(plan).contains("young.db"));
        CHECK(kept(plan).contains("broken.db"));
    }
}

TEST_CASE("retention: the newest verified backup is kept whatever the policy says") {
    const std::vector<BackupEntry> entries = {entry("new", "2026-11-26T02:00:00Z"), entry("mid", "2026-11-25T02:00:00Z"),
                                              entry("old", "2026-11-24T02:00:00Z")};
    RetentionRules rules;
    rules.policy.keep_last = 1;
    rules.policy.keep_daily = 0;
    SECTION("protected and also kept by the policy: both reasons") {
        rules.protected_ids = {"new"};
        CHECK(kept(plan_retention(entries, rules, at("2026-11-26T03:00:00Z"))).at("new") ==
              Reasons{"last", "newest verified backup"});
    }
    SECTION("the newest fails verification: the next one is protected instead") {
        rules.protected_ids = {"mid"};
        const RetentionPlan plan = plan_retention(entries, rules, at("2026-11-26T03:00:00Z"));
        CHECK(kept(plan) == std::map<std::string, Reasons>{{"new", {"last"}}, {"mid", {"newest verified backup"}}});
        CHECK(removed(plan).size() == 1);
    }
}

TEST_CASE("retention: a page-store backup whose map a kept backup builds on is kept, down the chain") {
    std::vector<BackupEntry> entries{entry("c", "2026-11-26T02:00:00Z"), entry("b", "2026-11-25T02:00:00Z"),
                                     entry("a", "2026-11-24T02:00:00Z"), entry("z", "2026-11-23T02:00:00Z")};
    const auto page_backup = [](BackupEntry& e, const std::string& parent) {
        e.manifest->pages = PagesInfo{};
        e.manifest->pages->parent_backup_id = parent;
    };
    page_backup(entries[0], "b");
    page_backup(entries[1], "a");
    page_backup(entries[2], "");
    page_backup(entries[3], "");  // a full map nobody builds on
    RetentionRules rules;
    rules.policy = RetentionPolicy{};
    rules.policy.keep_last = 1;
    const RetentionPlan plan = plan_retention(entries, rules, at("2026-11-26T03:00:00Z"));
    const auto k = kept(plan);
    CHECK(k.size() == 3);
    CHECK(k.at("b") == Reasons{"page map needed by c"});
    CHECK(k.at("a") == Reasons{"page map needed by b"});
    REQUIRE(plan.remove.size() == 1);
    CHECK(plan.remove[0].entry->id() == "z");
}

TEST_CASE("retention: the map chain is followed whatever order the scan gives (backups of one second)") {
    // Scan order is time, then name: within one second a parent can come before the backup that needs it.
    std::vector<BackupEntry> entries{entry("a", "2026-11-26T02:00:00Z"), entry("b", "2026-11-26T02:00:00Z"),
                                     entry("c", "2026-11-26T02:00:00Z"), entry("d", "2026-11-26T02:00:00Z")};
    const auto page_backup = [](BackupEntry& e, const std::string& parent) {
        e.manifest->pages = PagesInfo{};
        e.manifest->pages->parent_backup_id = parent;
    };
    page_backup(entries[0], "");   // full map
    page_backup(entries[1], "a");
    page_backup(entries[2], "b");
    page_backup(entries[3], "c");  // the one the policy keeps
    RetentionRules rules;
    rules.policy = RetentionPolicy{};
    rules.policy.keep_last = 1;
    std::swap(entries[0], entries[3]);  // d first: the policy keeps the first of its group
    const RetentionPlan plan = plan_retention(entries, rules, at("2026-11-26T03:00:00Z"));
    const auto k = kept(plan);
    CHECK(k.size() == 4);
    CHECK(k.at("c") == Reasons{"page map needed by d"});
    CHECK(k.at("b") == Reasons{"page map needed by c"});
    CHECK(k.at("a") == Reasons{"page map needed by b"});
    CHECK(plan.remove.empty());
}
