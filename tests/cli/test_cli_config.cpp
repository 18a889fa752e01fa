// soniabk's config file: found, applied with flag > env > file > default, and every bad key an error.
#include "base/json.hpp"
#include "cli_fixture.hpp"
#include "process.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::test;

namespace {

Json setting(const Json& show, const std::string& command, const std::string& key) {
    for (const Json& s : show["settings"]) {
        if (s["command"] == command && s["key"] == key) return s;
    }
    FAIL("no setting " << command << " " << key);
    return {};
}

}  // namespace

TEST_CASE("cli config: a file supplies options so the nightly line stays `soniabk backup db`") {
    TempDir dir;
    create_sample_db(dir / "memory.db");
    write_text(dir / "soniabk.toml", "db = \"memory.db\"\nrepo = \"repo\"\n\n[backup.db]\nlabel = \"nightly\"\n");
    init_repo(dir / "repo");
    const auto r = run_soniabk({"backup", "db", "--json"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    const Json doc = Json::parse(r.out);
    CHECK(doc["manifest"]["label"] == "nightly");
    CHECK(std::filesystem::exists(dir / "repo" / "db"));
}

TEST_CASE("cli config: precedence is flag > environment > file > default, and show says where from") {
    TempDir dir;
    write_text(dir / "soniabk.toml", "repo = \"from-file\"\ndb = \"file.db\"\n[verify]\nmax-age = \"36h\"\n");
    SECTION("file beats default, env beats file") {
        const auto r = run_soniabk({"config", "show", "--json"}, in_dir(dir, {{"SONIABK_DB", "env.db"}}));
        REQUIRE(r.exit_code == 0);
        const Json show = Json::parse(r.out);
        CHECK(show["config_file"]["origin"] == "working directory");
        CHECK(setting(show, "", "repo")["value"] == "from-file");
        CHECK(setting(show, "", "repo")["source"] == "file");
        CHECK(setting(show, "", "repo")["line"] == 1);
        CHECK(setting(show, "", "db")["value"] == "env.db");
        CHECK(setting(show, "", "db")["source"] == "env");
        CHECK(setting(show, "", "db")["env"] == "SONIABK_DB");
        CHECK(setting(show, "verify", "max-age")["value"] == "36h");
        CHECK(setting(show, "verify", "max-age")["line"] == 4);
        CHECK(setting(show, "backup db", "label")["source"] == "default");
        CHECK(setting(show, "backup db", "label")["value"] == "daily");
    }
    SECTION("a flag beats the environment and the file") {
        const auto r = run_soniabk({"--db", "flag.db", "--repo", "flag-repo", "config", "show", "--json"},
                                   in_dir(dir, {{"SONIABK_DB", "env.db"}}));
        REQUIRE(r.exit_code == 0);
        const Json show = Json::parse(r.out);
        CHECK(setting(show, "", "db")["value"] == "flag.db");
        CHECK(setting(show, "", "db")["source"] == "flag");
        CHECK(setting(show, "", "repo")["value"] == "flag-repo");
        CHECK(setting(show, "", "repo")["source"] == "flag");
    }
    SECTION("human output is an aligned table naming file:line") {
        const auto r = run_soniabk({"config", "show"}, in_dir(dir));
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("soniabk.toml:4") != std::string::npos);
        CHECK(r.out.find("COMMAND") != std::string::npos);
    }
}

TEST_CASE("cli config: false, \"\" and [] mean not set") {
    TempDir dir;
    write_text(dir / "soniabk.toml", "repo = \"\"\n[verify]\nlatest = false\nall = true\n[backup.db]\nlabel = \"\"\n");
    const auto r = run_soniabk({"config", "show", "--json"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);  // latest = false next to all = true is no "--all excludes --latest"
    const Json show = Json::parse(r.out);
    CHECK(setting(show, "", "repo")["value"].is_null());
    CHECK(setting(show, "", "repo")["source"] == "file");
    CHECK(setting(show, "backup db", "label")["value"] == "daily");
    CHECK(setting(show, "verify", "all")["value"] == true);
}

TEST_CASE("cli config: where the file is found") {
    TempDir dir;
    write_text(dir / "named.toml", "repo = \"named\"\n");
    write_text(dir / "soniabk.toml", "repo = \"cwd\"\n");
    SECTION("--config beats SONIABK_CONFIG beats ./soniabk.toml") {
        auto show = Json::parse(run_soniabk({"config", "show", "--json"}, in_dir(dir)).out);
        CHECK(setting(show, "", "repo")["value"] == "cwd");
        show = Json::parse(run_soniabk({"config", "show", "--json"},
                                       in_dir(dir, {{"SONIABK_CONFIG", (dir / "named.toml").string()}})).out);
        CHECK(setting(show, "", "repo")["value"] == "named");
        CHECK(show["config_file"]["origin"] == "SONIABK_CONFIG");
        write_text(dir / "flag.toml", "repo = \"flag\"\n");
        show = Json::parse(run_soniabk({"--config", "flag.toml", "config", "show", "--json"},
                                       in_dir(dir, {{"SONIABK_CONFIG", (dir / "named.toml").string()}})).out);
        CHECK(setting(show, "", "repo")["value"] == "flag");
        CHECK(show["config_file"]["origin"] == "--config");
    }
    SECTION("a named file that does not exist is an error, exit 2") {
        auto r = run_soniabk({"--config", "missing.toml", "list"}, in_dir(dir));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("missing.toml") != std::string::npos);
        r = run_soniabk({"list"}, in_dir(dir, {{"SONIABK_CONFIG", (dir / "gone.toml").string()}}));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("gone.toml") != std::string::npos);
        CHECK(r.err.find("SONIABK_CONFIG") != std::string::npos);
    }
}

TEST_CASE("cli config: bad files are errors naming file, line and key (exit 2)") {
    TempDir dir;
    const auto check = [&](const std::string& text, const std::string& line, const std::string& needle) {
        write_text(dir / "soniabk.toml", text);
        const auto r = run_soniabk({"--json", "list", "--repo", (dir / "repo").string()}, in_dir(dir));
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("soniabk.toml:" + line + ":") != std::string::npos);
        CHECK(r.err.find(needle) != std::string::npos);
        CHECK(Json::parse(r.out)["error"]["code"] == "config");
    };
    SECTION("unknown key, with a suggestion") { check("repo = \"r\"\n\nrepoo = \"x\"\n", "3", "did you mean 'repo'"); }
    SECTION("unknown key in a table") { check("[backup.db]\nlable = \"x\"\n", "2", "'lable' in [backup.db]"); }
    SECTION("a global option inside a table") { check("[verify]\ndb = \"x\"\n", "2", "global option"); }
    SECTION("unknown table") { check("[prnue]\n", "1", "unknown table [prnue]"); }
    SECTION("unknown nested table, with a suggestion") { check("\n[backup.dbb]\n", "2", "did you mean [backup.db]"); }
    SECTION("wrong type") { check("[backup.db]\nlabel = 5\n", "2", "'label' must be a string, not an integer"); }
    SECTION("a duration that is not one") { check("[verify]\nmax-age = \"5x\"\n", "2", "'5x' is not a duration"); }
    SECTION("a duration written as a number") { check("[verify]\nmax-age = 24\n", "2", "duration string"); }
    SECTION("a value outside the choices") { check("[backup.db]\nmethod = \"bogus\"\n", "2", "method"); }
    SECTION("an array for a single value") { check("repo = [\"a\", \"b\"]\n", "1", "not an array"); }
    SECTION("a command-line-only action") { check("[schedule]\ninstall = true\n", "2", "only be given on the command line"); }
    SECTION("TOML syntax") { check("repo = \"a\"\nrepo =\n", "2", "not valid TOML"); }
    SECTION("unknown key in [s3], with a suggestion") { check("[s3]\nregoin = \"x\"\n", "2", "did you mean 'region'"); }
    SECTION("wrong type in [s3]") { check("[s3]\npath_style = 1\n", "2", "'path_style' in [s3] must be true or false"); }
    SECTION("a table inside [s3]") { check("[s3.extra]\n", "1", "unknown key 'extra' in [s3]"); }
}

TEST_CASE("cli config: [s3] shows where each key came from, a secret only as (set), and AWS_* beats it") {
    TempDir dir;
    write_text(dir / "soniabk.toml", "[s3]\nendpoint = \"http://nas:9000\"\naccess_key_id = \"AKIDFILE\"\n"
                                     "secret_access_key = \"file-secret-1234\"\ntimeout = \"5s\"\n");
    const std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", ""}, {"AWS_ENDPOINT_URL_S3", ""},
                                                    {"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""},
                                                    {"AWS_SESSION_TOKEN", "env-token-5678"}};
    const auto r = run_soniabk({"config", "show", "--json"}, in_dir(dir, env));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("file-secret-1234") == std::string::npos);
    CHECK(r.out.find("env-token-5678") == std::string::npos);
    const Json show = Json::parse(r.out);
    const auto row = [&](const std::string& key) {
        for (const Json& s : show["s3"]) {
            if (s["key"] == key) return s;
        }
        FAIL("no [s3] row " << key);
        return Json();
    };
    CHECK(row("endpoint")["value"] == "http://nas:9000");
    CHECK(row("endpoint")["line"] == 2);
    CHECK(row("secret_access_key")["value"] == "(set)");
    CHECK(row("secret_access_key")["source"] == "file");
    CHECK(row("session_token")["value"] == "(set)");
    CHECK(row("session_token")["env"] == "AWS_SESSION_TOKEN");
    CHECK(row("timeout")["value"] == "5s");
    CHECK(row("region")["source"] == "default");
    const auto text = run_soniabk({"config", "show"}, in_dir(dir, env));
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("file-secret-1234") == std::string::npos);
    CHECK(text.out.find("[s3]") != std::string::npos);
    CHECK(text.out.find("(set)") != std::string::npos);
}

TEST_CASE("cli config: a broken file never blocks help, --version or completion") {
    TempDir dir;
    write_text(dir / "soniabk.toml", "this is not toml\n");
    CHECK(run_soniabk({"--help"}, in_dir(dir)).exit_code == 0);
    CHECK(run_soniabk({"backup", "db", "--help"}, in_dir(dir)).exit_code == 0);
    CHECK(run_soniabk({"--version"}, in_dir(dir)).exit_code == 0);
    CHECK(run_soniabk({"completion", "bash"}, in_dir(dir)).exit_code == 0);
    CHECK(run_soniabk({"list", "--repo", "r"}, in_dir(dir)).exit_code == 2);
}

TEST_CASE("cli config: init writes a commented example of every option, valid once uncommented") {
    TempDir dir;
    auto r = run_soniabk({"config", "init", "example.toml"}, in_dir(dir));
    REQUIRE(r.exit_code == 0);
    const std::string text = read_text(dir / "example.toml");
    CHECK(text.find("[backup.db]") != std::string::npos);
    CHECK(text.find("# label = \"daily\"") != std::string::npos);
    CHECK(text.find("# busy-timeout = \"10s\"") != std::string::npos);
    SECTION("it never overwrites") {
        write_text(dir / "example.toml", "mine\n");
        r = run_soniabk({"config", "init", "example.toml"}, in_dir(dir));
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("already exists") != std::string::npos);
        CHECK(read_text(dir / "example.toml") == "mine\n");
    }
    SECTION("every sample value passes the same checks as a hand-written file") {
        std::string uncommented;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            const bool setting_line = line.starts_with("# ") && line.find(" = ") != std::string::npos &&
                                      line.find(' ', 2) == line.find(" = ");
            uncommented += (setting_line ? line.substr(2) : line) + "\n";
        }
        write_text(dir / "all.toml", uncommented);
        r = run_soniabk({"--config", "all.toml", "config", "show", "--json"},
                        in_dir(dir, {{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", ""}}));
        INFO(r.err);
        CHECK(r.exit_code == 0);
        const Json show = Json::parse(r.out);
        CHECK(setting(show, "backup db", "label")["source"] == "file");
        CHECK(show["s3"][1]["key"] == "region");
        CHECK(show["s3"][1]["source"] == "file");  // the [s3] block is uncommented too
    }
}
