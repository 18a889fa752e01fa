// The examples an operator copies: the bash scripts run against an example database, the config
// file is valid. Steps that need a command this build lacks are skipped until that command lands.
#include "base/json.hpp"
#include "gateway_process.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"
#include "portable.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace soniabk;
using namespace soniabk::test;

namespace {

const std::filesystem::path examples = std::filesystem::path(SONIABK_SOURCE_DIR) / "examples";

bool has_command(const std::string& name) {
    return run_soniabk({"--help"}, {{{"SONIABK_CONFIG", ""}}, {}, ""}).out.find("\n  " + name + " ") != std::string::npos;
}

// A soniabk stand-in that runs the real binary, or reports a step skipped when it lacks the command.
std::filesystem::path stand_in(const TempDir& dir) {
    const auto path = dir / "bin" / "soniabk";
    std::filesystem::create_directories(path.parent_path());
    write_text(path, "#!/bin/sh\nreal='" + soniabk_binary().string() +
                         "'\nif [ \"$#\" -gt 0 ] && ! \"$real\" --help | grep -q \"^  $1 \"; then\n"
                         "  echo \"skipped: soniabk $1 (not in this build)\" >&2\n  exit 0\nfi\nexec \"$real\" \"$@\"\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

ProcessOptions example_env(const TempDir& dir) {
    return {{{"SONIABK", stand_in(dir).string()},
             {"SONIABK_DB", (dir / "memory.db").string()},
             {"SONIABK_REPO", (dir / "repo").string()},
             {"SONIABK_CONFIG", ""},
             {"SONIABK_GATEWAY", ""},
             {"SONIA_STOP_CMD", "true"},
             {"SONIA_START_CMD", "true"},
             {"SONIA_HEALTH_URL", ""},
             {"DRILL_REPORT", (dir / "drill.json").string()}},
            dir.path(),
            ""};
}

ProcessResult run_example(const std::string& script, const TempDir& dir) {
    return run_process({"/bin/bash", (examples / script).string()}, example_env(dir));
}

Json backups(const TempDir& dir) {
    return Json::parse(run_soniabk({"list", "--json", "--repo", (dir / "repo").string()}).out)["backups"];
}

}  // namespace

TEST_CASE("cli examples: nightly.sh backs up, prunes and verifies") {
    SONIABK_SKIP_ON_WINDOWS("the examples are POSIX shell scripts (docs/examples; PowerShell ones are in the README)");
    TempDir dir;
    init_repo(dir / "repo");
    create_sample_db(dir / "memory.db", {.memories = 200});
    auto r = run_example("nightly.sh", dir);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(backups(dir).size() == 1);
    CHECK(r.out.find("all checks passed") != std::string::npos);
    CHECK((has_command("prune") || r.err.find("skipped: soniabk prune") != std::string::npos));
    std::filesystem::remove(dir / "memory.db");  // no database: the job must fail, not pretend
    r = run_example("nightly.sh", dir);
    CHECK(r.exit_code == 3);
}

TEST_CASE("cli examples: restore-runbook.sh puts the newest backup back") {
    SONIABK_SKIP_ON_WINDOWS("the examples are POSIX shell scripts (docs/examples; PowerShell ones are in the README)");
    TempDir dir;
    init_repo(dir / "repo");
    create_sample_db(dir / "memory.db", {.memories = 200});
    REQUIRE(run_example("nightly.sh", dir).exit_code == 0);
    create_sample_db(dir / "other.db", {.memories = 3});
    std::filesystem::rename(dir / "other.db", dir / "memory.db");
    std::filesystem::remove(dir / "memory.db-wal");
    const auto r = run_example("restore-runbook.sh", dir);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    if (has_command("restore")) {
        CHECK(count_rows(dir / "memory.db", "memories") == 200);
    } else {
        CHECK(r.err.find("skipped: soniabk restore") != std::string::npos);
    }
}

TEST_CASE("cli examples: ci/drill.sh passes on a good repository and fails the build on a bad one") {
    SONIABK_SKIP_ON_WINDOWS("the examples are POSIX shell scripts (docs/examples; PowerShell ones are in the README)");
    TempDir dir;
    init_repo(dir / "repo");
    create_sample_db(dir / "memory.db", {.memories = 200});
    REQUIRE(run_example("nightly.sh", dir).exit_code == 0);
    auto r = run_example("ci/drill.sh", dir);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    if (!has_command("drill")) {
        CHECK(r.err.find("skipped: soniabk drill") != std::string::npos);
        return;
    }
    CHECK(Json::parse(read_text(dir / "drill.json"))["passed"] == true);
    const std::filesystem::path data = backups(dir)[0]["path"].get<std::string>();
    std::filesystem::permissions(data, std::filesystem::perms::owner_all);
    std::string bytes = read_text(data);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    write_text(data, bytes);
    r = run_example("ci/drill.sh", dir);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("recovery drill FAILED") != std::string::npos);
    CHECK(Json::parse(read_text(dir / "drill.json"))["passed"] == false);
}

TEST_CASE("cli examples: before-change.sh takes a verified backup set and prints how to restore it") {
    SONIABK_SKIP_ON_WINDOWS("the examples are POSIX shell scripts (docs/examples; PowerShell ones are in the README)");
    TempDir dir;
    init_repo(dir / "repo");
    create_sample_db(dir / "memory.db", {.memories = 50});
    GatewayProcess gw(dir / "gw");
    ProcessOptions env = example_env(dir);
    env.env["SONIABK_GATEWAY"] = gw.url();
    env.env["SONIABK_GATEWAY_DIR"] = gw.dir().string();
    const auto r = run_process({"/bin/bash", (examples / "before-change.sh").string()}, env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const Json sets = Json::parse(run_soniabk({"list", "--json", "--repo", (dir / "repo").string()}).out)["sets"];
    REQUIRE(sets.size() == 1);
    CHECK(sets[0]["complete"] == true);
    CHECK(r.out.find("soniabk restore --set " + sets[0]["set_id"].get<std::string>()) != std::string::npos);
}

TEST_CASE("cli examples: soniabk.toml is a valid config (tables of commands not in this build left out)") {
    TempDir dir;
    std::string kept;
    bool keep = true;
    std::istringstream in(read_text(examples / "soniabk.toml"));
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("[")) keep = has_command(line.substr(1, line.find_first_of(".]") - 1));
        kept += (keep ? line : "#") + "\n";  // keep line numbers
    }
    write_text(dir / "soniabk.toml", kept);
    const auto r = run_soniabk({"config", "show", "--json"}, {{{"SONIABK_CONFIG", ""}}, dir.path(), ""});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const Json show = Json::parse(r.out);
    for (const Json& s : show["settings"]) {
        if (s["key"] == "repo" && s["command"] == "") CHECK(s["value"] == "/srv/backups/sonia");
    }
}
