// The databases restore keeps aside: listed by status with their sizes, removed by restore --remove-replaced.
#include "base/json.hpp"
#include "restore_target.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

using namespace soniabk;
namespace fs = std::filesystem;

namespace {

// Two restores over the live database, so two old databases are kept aside.
struct ReplacedSetup : test::RestoreTarget {
    ReplacedSetup() {
        for (int i = 0; i < 2; ++i) REQUIRE(run({"restore", "--latest"}).exit_code == 0);
    }
    Json run_json(std::vector<std::string> args, int exit_code = 0) const {
        const auto r = run(std::move(args));
        INFO(r.out << r.err);
        CHECK(r.exit_code == exit_code);
        return Json::parse(r.out);
    }
    std::vector<fs::path> replaced_files() const {
        std::vector<fs::path> found;
        for (const auto& e : fs::directory_iterator(live.parent_path())) {
            if (e.path().filename().string().starts_with("memory-replaced-")) found.push_back(e.path());
        }
        std::sort(found.begin(), found.end());
        return found;
    }
    // status exits 1 for reasons of its own (no state backup here); only its document matters.
    Json status() const { return Json::parse(run({"status"}).out); }
};

std::string last_journal_command(const fs::path& repo) {
    std::ifstream in(repo / "journal.jsonl");
    std::string line, last;
    while (std::getline(in, line)) {
        if (!line.empty()) last = line;
    }
    return Json::parse(last)["command"].get<std::string>();
}

}  // namespace

TEST_CASE("cli replaced: status lists the databases restore kept beside --db, with their sizes") {
    ReplacedSetup s;
    const std::vector<fs::path> kept = s.replaced_files();
    REQUIRE(kept.size() >= 2);
    std::uint64_t bytes = 0;
    for (const auto& f : kept) bytes += fs::file_size(f);
    const Json status = s.status();
    const Json& replaced = status["replaced_databases"];
    CHECK(replaced["count"] == 2);
    CHECK(replaced["bytes"] == bytes);
    for (const Json& d : replaced["databases"]) {
        CHECK(fs::exists(d["path"].get<std::string>()));
        CHECK(d["bytes"].get<std::uint64_t>() > 0);
    }
    const auto human = test::run_soniabk({"--repo", s.repo.string(), "--db", s.live.string(), "status"});
    CHECK_THAT(human.out, Catch::Contains("replaced databases kept by restore: 2") &&
                              Catch::Contains("restore --remove-replaced"));
    SECTION("without --db status says nothing of them") {
        const auto r = test::run_soniabk({"--json", "--repo", s.repo.string(), "status"}, {{{"SONIABK_DB", ""}}, {}, {}});
        CHECK(Json::parse(r.out)["replaced_databases"].is_null());
    }
}

TEST_CASE("cli replaced: restore --remove-replaced removes them (journaled), --dry-run only lists them") {
    ReplacedSetup s;
    const fs::path unrelated = s.live.parent_path() / "memory-replaced-notes.db";  // not a restore's name
    test::write_text(unrelated, "mine");
    const std::vector<fs::path> kept = s.replaced_files();
    const Json planned = s.run_json({"restore", "--remove-replaced", "--dry-run"});
    CHECK(planned["dry_run"] == true);
    CHECK(planned["removed"].size() == 2);
    CHECK(s.replaced_files() == kept);
    const Json done = s.run_json({"restore", "--remove-replaced"});
    CHECK(done["removed"] == planned["removed"]);
    CHECK(done["freed_bytes"] == planned["freed_bytes"]);
    CHECK(s.replaced_files() == std::vector<fs::path>{unrelated});
    CHECK(fs::exists(s.live));
    CHECK(last_journal_command(s.repo) == "restore --remove-replaced");
    CHECK(s.status()["replaced_databases"]["count"] == 0);
    SECTION("it restores nothing, so a backup id with it is a usage error") {
        CHECK(s.run({"restore", "--remove-replaced", "bkp_"}).exit_code == 2);
    }
}
