// Real SIGINT and SIGTERM sent to real writer processes: temps removed, `interrupted` printed and journaled,
// exit 130 / 143, and the next run works: backup db, copy and restore.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "portable.hpp"
#include "restore_target.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <thread>

using namespace soniabk;
using namespace soniabk::test;
using namespace std::chrono_literals;

namespace {

// Every file in `dir` and below, hidden temps included.
std::vector<std::string> all_files(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
        if (e.is_regular_file()) names.push_back(fs::relative(e.path(), dir).generic_string());
    }
    return names;
}

bool has_hidden_temp(const fs::path& dir) {
    for (const auto& name : all_files(dir)) {
        if (fs::path(name).filename().string().starts_with(".")) return true;
    }
    return false;
}

Json last_journal_line(const fs::path& repo) {
    const std::string text = read_text(repo / "journal.jsonl");
    const auto end = text.find_last_not_of('\n');
    const auto start = text.rfind('\n', end);
    return Json::parse(text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1));
}

// Sends `writer` SIGTERM once its hidden temp is in `dir`, so the signal lands mid-write, and waits for it.
ProcessResult terminate_once_writing(Child& writer, const fs::path& dir) {
    for (int waited = 0; !has_hidden_temp(dir); ++waited) {
        REQUIRE(waited < 3000);
        REQUIRE(writer.running());
        std::this_thread::sleep_for(10ms);
    }
    writer.kill(SIGTERM);
    return writer.wait();
}

}  // namespace

TEST_CASE("cli interrupt: SIGINT or SIGTERM during backup db removes its temps, journals it, exits 130 or 143") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C or a close event to one child process: console events reach the whole console");
    const int signal = GENERATE(SIGINT, SIGTERM);
    const bool encoded = GENERATE(false, true);
    INFO("signal " << signal << (encoded ? ", compressed" : ", plain"));
    CliFixture f({.memories = 500});
    init_repo(f.repo);
    fs::create_directories(f.dir / "tmp");
    ProcessOptions paused;
    paused.env = temp_dir_env(f.dir / "tmp");
    paused.env.emplace("SONIABK_FAULT", "backup.after_snapshot:pause");
    std::vector<std::string> argv{soniabk_binary().string(), "backup", "db", "--repo", f.repo.string(), "--db", f.db.string()};
    if (encoded) argv.insert(argv.end(), {"--compress", "zstd"});
    Child backup(argv, paused);
    const fs::path snapshot_place = encoded ? f.dir / "tmp" : f.repo / "db";
    for (int waited = 0; !has_hidden_temp(snapshot_place) && !(encoded && !all_files(snapshot_place).empty()); ++waited) {
        REQUIRE(waited < 3000);
        REQUIRE(backup.running());
        std::this_thread::sleep_for(10ms);
    }
    backup.kill(signal);
    const ProcessResult r = backup.wait();
    CHECK(r.exit_code == (signal == SIGINT ? 130 : 143));
    CHECK_THAT(r.err, Catch::Contains(signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM"));
    CHECK(f.files().empty());
    CHECK(all_files(f.dir / "tmp").empty());
    const Json line = last_journal_line(f.repo);
    CHECK(line["command"] == "backup db");
    CHECK(line["ok"] == false);
    CHECK(line["detail"]["error"]["code"] == "interrupted");
    CHECK(f.run_json({"backup", "db"})["ok"] == true);
}

TEST_CASE("cli interrupt: a signal at a random instant of a larger backup leaves a whole backup or none") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C or a close event to one child process: console events reach the whole console");
    CliFixture f({.memories = 20000});
    init_repo(f.repo);
    for (int round = 0; round < 4; ++round) {
        Child backup({soniabk_binary().string(), "backup", "db", "--repo", f.repo.string(), "--db", f.db.string(),
                      "--method", "copy", "--compress", "zstd"});
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + 40 * round));
        const int signal = round % 2 ? SIGTERM : SIGINT;
        backup.kill(signal);
        const ProcessResult r = backup.wait();
        INFO("round " << round << ": " << r.err);
        // Done already, stopped cleanly, or (signalled before it installed its handlers) ended by the signal.
        CHECK((r.exit_code == 0 || r.exit_code == 128 + signal || r.signal == signal));
        for (const auto& name : f.files()) CHECK_FALSE(name.starts_with("."));
    }
    REQUIRE(f.run_json({"backup", "db"})["ok"] == true);
    CHECK(f.run_json({"verify", "--all"})["ok"] == true);
}

TEST_CASE("cli interrupt: the temp of a SIGKILLed writer is seen by status and removed by prune at once") {
    CliFixture f;
    init_repo(f.repo);
    const ProcessResult killed = f.run({"backup", "db"}, {{{"SONIABK_FAULT", "backup.after_snapshot"}}, {}, {}});
    REQUIRE(killed.signal == SIGKILL);
    REQUIRE(has_hidden_temp(f.repo / "db"));
    const Json status = f.run_json({"status"}, 1);  // 1: no complete backup yet
    CHECK(status["leftover_temps"]["count"] == 1);
    CHECK(status["leftover_temps"]["bytes"].get<std::uint64_t>() > 0);
    CHECK_THAT(f.run({"status"}).out, Catch::Contains("leftover temp files of stopped writers: 1"));
    const Json pruned = f.run_json({"prune", "--keep-last", "3", "--clean-incomplete"});
    CHECK(pruned["removed_temp_files"].size() == 1);
    CHECK_FALSE(has_hidden_temp(f.repo / "db"));
    CHECK(f.run_json({"status"}, 1)["leftover_temps"]["count"] == 0);
}

TEST_CASE("cli interrupt: SIGTERM mid-copy exits 143, leaves nothing complete-looking, and the next copy completes") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C or a close event to one child process: console events reach the whole console");
    CliFixture f({.memories = 20000});
    init_repo(f.repo);
    const fs::path dest = f.dir / "offsite";
    init_repo(dest);
    REQUIRE(f.run_json({"backup", "db"})["ok"] == true);
    // About 3 s for the one backup at this rate: the signal lands while its data file is on its way.
    const std::string rate = std::to_string(std::max<std::uintmax_t>(fs::file_size(f.repo / "db" / f.files().front()) / 3, 64 * 1024));
    Child copy({soniabk_binary().string(), "copy", "--all", "--to", dest.string(), "--bwlimit", rate, "--repo", f.repo.string()});
    const ProcessResult r = terminate_once_writing(copy, dest / "db");
    CHECK(r.exit_code == 143);
    CHECK_THAT(r.err, Catch::Contains("interrupted by SIGTERM"));
    CHECK(all_files(dest / "db").empty());  // no data file, no manifest, no temp
    const Json line = last_journal_line(f.repo);
    CHECK(line["command"] == "copy");
    CHECK(line["detail"]["error"]["code"] == "interrupted");
    const Json again = f.run_json({"copy", "--all", "--to", dest.string()});
    CHECK(again["copied"].size() == 1);
    const ProcessResult verified = run_soniabk({"--json", "verify", "--all", "--deep", "--repo", dest.string()});
    CHECK(verified.exit_code == 0);
    CHECK(Json::parse(verified.out)["backups"].size() == 1);
}

TEST_CASE("cli interrupt: SIGTERM during restore removes its temp copy, leaves the live database, exits 143") {
    SONIABK_SKIP_ON_WINDOWS("a test cannot send Ctrl-C or a close event to one child process: console events reach the whole console");
    const RestoreTarget target;  // a 20-memory backup; the live database has 5
    ProcessOptions paused;
    paused.env.emplace("SONIABK_FAULT", "restore.copy_to_temp:pause");
    Child restore({soniabk_binary().string(), "restore", "--latest", "--repo", target.repo.string(), "--db",
                   target.live.string()}, paused);
    const ProcessResult r = terminate_once_writing(restore, target.live.parent_path());
    CHECK(r.exit_code == 143);
    CHECK_THAT(r.err, Catch::Contains("interrupted by SIGTERM"));
    CHECK_FALSE(has_hidden_temp(target.live.parent_path()));
    CHECK(count_rows(target.live, "memories") == 5);
    const ProcessResult again = target.run({"restore", "--latest"});
    CHECK(again.exit_code == 0);
    CHECK(count_rows(target.live, "memories") == 20);
}
