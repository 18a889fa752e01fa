// Operator-facing output: progress only on a terminal, colour rules, --version, "did you mean".
#include "portable.hpp"
#include "process.hpp"
#include "repo/lock_state.hpp"
#include "repo/repository.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk::test;

namespace {

std::string shell_quote(const std::string& arg) { return "'" + arg + "'"; }

// Runs soniabk with stdin, stdout and stderr on a pseudo-terminal (util-linux `script`), as a person would.
ProcessResult run_on_terminal(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    std::string command = shell_quote(soniabk_binary().string());
    for (const auto& a : args) command += " " + shell_quote(a);
    env.emplace("TERM", "xterm");
    return run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, {env, {}, ""});
}

}  // namespace

TEST_CASE("cli output: backup shows live progress on a terminal, and only there") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    TempDir dir;
    create_sample_db(dir / "memory.db", {.memories = 2000});
    init_repo(dir / "repo");
    const std::vector<std::string> backup = {"backup", "db", "--format", "files", "--db", (dir / "memory.db").string(), "--repo",
                                             (dir / "repo").string(), "--method", "copy"};
    SECTION("a terminal sees phases, bytes and percent, then a clean line") {
        const auto r = run_on_terminal(backup);
        REQUIRE(r.exit_code == 0);
        CHECK(has(r.out, "\rsnapshot "));
        CHECK(has(r.out, "\rhash     ["));
        CHECK(has(r.out, "100%"));
        CHECK(has(r.out, "\r\033[K"));
        CHECK(has(r.out, "backup bkp_"));
    }
    SECTION("compressing and encrypting show their own phase with bytes and percent") {
        const std::filesystem::path key = dir / "backup.key";
        REQUIRE(run_soniabk({"keygen", key.string()}).exit_code == 0);
        auto compressed = backup;
        compressed.insert(compressed.end(), {"--compress", "zstd"});
        const auto compressed_run = run_on_terminal(compressed);
        REQUIRE(compressed_run.exit_code == 0);
        CHECK(has(compressed_run.out, "\rcompress ["));
        auto both = compressed;
        both.insert(both.end(), {"--encrypt", "--key-file", key.string()});
        const auto encoded = run_on_terminal(both);
        INFO(encoded.out);
        REQUIRE(encoded.exit_code == 0);
        CHECK(has(encoded.out, "\rencode   ["));
        CHECK(has(encoded.out, "100%"));
    }
    SECTION("--no-progress and -q turn it off") {
        CHECK_FALSE(has(run_on_terminal([&] { auto a = backup; a.push_back("--no-progress"); return a; }()).out, "hash"));
        CHECK_FALSE(has(run_on_terminal([&] { auto a = backup; a.push_back("-q"); return a; }()).out, "hash"));
    }
    SECTION("pipes and log files never get it, with or without --json") {
        auto r = run_soniabk(backup);
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(has(r.err, "\r"));
        auto json = backup;
        json.push_back("--json");
        r = run_soniabk(json);
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(has(r.err + r.out, "\r"));
        CHECK(r.out.front() == '{');
    }
}

TEST_CASE("cli output: a page-store backup, verify --deep, restore and drill show progress on a terminal") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    TempDir dir;
    const std::filesystem::path db = dir / "memory.db";
    create_sample_db(db, {.memories = 2000});
    REQUIRE(run_soniabk({"init", "--repo", (dir / "repo").string()}).exit_code == 0);
    const std::vector<std::string> where = {"--db", db.string(), "--repo", (dir / "repo").string()};
    const auto on_terminal = [&](std::vector<std::string> args) {
        args.insert(args.end(), where.begin(), where.end());
        const ProcessResult r = run_on_terminal(args);
        INFO(r.out);
        REQUIRE(r.exit_code == 0);
        return r.out;
    };
    const std::string backup = on_terminal({"backup", "db"});
    CHECK(has(backup, "\rpages    ["));
    CHECK(has(backup, "100%"));
    CHECK(has(on_terminal({"verify", "--deep"}), "\rrebuild  ["));
    CHECK(has(on_terminal({"restore", "--latest"}), "\rrebuild  ["));
    CHECK(has(on_terminal({"drill"}), "\rrebuild  ["));
    CHECK_FALSE(has(run_soniabk({"verify", "--deep", "--repo", (dir / "repo").string()}).err, "\r"));
}

TEST_CASE("cli output: copy shows its progress with a total on a terminal, and a pipe never gets it") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    TempDir dir;
    create_sample_db(dir / "memory.db", {.memories = 2000});
    init_repo(dir / "repo");
    init_repo(dir / "offsite");
    init_repo(dir / "piped");
    REQUIRE(run_soniabk({"backup", "db", "--db", (dir / "memory.db").string(), "--repo", (dir / "repo").string()}).exit_code == 0);
    const auto copy_to = [&](const char* to) {
        return std::vector<std::string>{"copy", "--all", "--to", (dir / to).string(), "--repo", (dir / "repo").string()};
    };
    const auto shown = run_on_terminal(copy_to("offsite"));
    INFO(shown.out);
    REQUIRE(shown.exit_code == 0);
    CHECK(has(shown.out, "\rcopy     ["));
    CHECK(has(shown.out, "100%"));
    CHECK(has(shown.out, "\r\033[K"));
    const auto piped = run_soniabk(copy_to("piped"));
    REQUIRE(piped.exit_code == 0);
    CHECK_FALSE(has(piped.err + piped.out, "\r"));
}

TEST_CASE("cli output: backup --lock-wait shows whose lock it waits for, then fails naming it") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    using namespace std::chrono_literals;
    TempDir dir;
    create_sample_db(dir / "memory.db");
    init_repo(dir / "repo");
    const std::vector<std::string> backup = {"backup", "db", "--db", (dir / "memory.db").string(), "--repo",
                                             (dir / "repo").string(), "--lock-wait", "700ms"};
    {
        const soniabk::RepositoryLock held = soniabk::Repository::open(dir / "repo").lock_for_writing("prune", 1s);
        const std::string holder = soniabk::lock_holder_line("prune").substr(8);  // "pid N on HOST by USER (prune)"
        const auto shown = run_on_terminal(backup);
        CHECK(has(shown.out, "waiting for the lock held by " + holder + " since 20"));
        CHECK(has(shown.out, "repository is locked by soniabk " + holder + " (waited 700ms)"));
        const auto piped = run_soniabk(backup);
        CHECK(piped.exit_code == 3);
        CHECK_FALSE(has(piped.err, "waiting for"));
    }
    CHECK(run_soniabk(backup).exit_code == 0);
}

TEST_CASE("cli output: prune and backup state --lock-wait show whose lock they wait for, then fail naming it") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    using namespace std::chrono_literals;
    TempDir dir;
    init_repo(dir / "repo");
    const std::string repo = (dir / "repo").string();
    const std::filesystem::path snapshot = dir / "state.json";
    write_text(snapshot, R"({"sessions": [], "confirmations": [], "dlq": [], "breakers": []})");
    const std::vector<std::vector<std::string>> writers = {
        {"prune", "--repo", repo, "--lock-wait", "700ms"},
        {"backup", "state", "--from", snapshot.string(), "--repo", repo, "--lock-wait", "700ms"}};
    const soniabk::RepositoryLock held = soniabk::Repository::open(dir / "repo").lock_for_writing("backup db", 1s);
    const std::string holder = soniabk::lock_holder_line("backup db").substr(8);  // "pid N on HOST by USER (backup db)"
    for (const auto& args : writers) {
        const auto shown = run_on_terminal(args);
        INFO(args[0] << ": " << shown.out);
        CHECK(has(shown.out, "waiting for the lock held by " + holder + " since 20"));
        CHECK(has(shown.out, "repository is locked by soniabk " + holder + " (waited 700ms)"));
    }
}

TEST_CASE("cli output: colour on a terminal only, never with NO_COLOR") {
    SONIABK_SKIP_ON_WINDOWS("no pseudo-terminal to run soniabk on: util-linux script is not there, wine has no ConPTY");
    TempDir dir;
    create_sample_db(dir / "memory.db");
    const std::string repo = (dir / "repo").string();
    init_repo(repo);
    REQUIRE(run_soniabk({"backup", "db", "--format", "files", "--db", (dir / "memory.db").string(), "--repo", repo}).exit_code == 0);
    CHECK(has(run_on_terminal({"verify", "--repo", repo}).out, "\033[32mok\033[0m"));
    CHECK_FALSE(has(run_on_terminal({"verify", "--repo", repo}, {{"NO_COLOR", "1"}}).out, "\033["));
    CHECK_FALSE(has(run_soniabk({"verify", "--repo", repo}).out, "\033["));
}

TEST_CASE("cli output: --version names soniabk, SQLite, OpenSSL and zstd") {
    const auto r = run_soniabk({"--version"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.starts_with("soniabk "));
    CHECK(has(r.out, "\nSQLite 3."));
    CHECK(has(r.out, "\nOpenSSL 3."));
    CHECK(has(r.out, "\nzstd 1."));
}

TEST_CASE("cli output: mistyped commands and options name the nearest real one") {
    auto r = run_soniabk({"lsit"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "'lsit' is not a soniabk command; did you mean 'list'?"));
    r = run_soniabk({"--repo", "x", "backup", "dbb"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "'dbb' is not a soniabk backup command; did you mean 'db'?"));
    r = run_soniabk({"backup", "db", "--lable", "x"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "unknown option '--lable' for 'soniabk backup db'; did you mean '--label'?"));
    r = run_soniabk({"backup"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "'soniabk backup' needs a command: db"));
    r = run_soniabk({"--json", "config", "shwo"});
    CHECK(r.exit_code == 2);
    CHECK(has(r.out, "did you mean 'show'?"));
}
