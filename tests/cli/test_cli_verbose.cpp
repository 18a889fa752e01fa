// -v shows each step with its duration on stderr; -vv adds SQLite statements and HTTP requests.
#include "base/json.hpp"
#include "repo_init.hpp"
#include "restore_target.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace soniabk;

namespace {

using Setup = test::RestoreTarget;

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(prefix)) found.push_back(line);
    }
    return found;
}

}  // namespace

TEST_CASE("cli verbose: -v shows each restore step with its duration on stderr, stdout stays the document") {
    Setup s;
    const auto r = s.run({"-v", "restore", "--latest"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const Json doc = Json::parse(r.out);
    const auto steps = lines_starting(r.err, "step ");
    REQUIRE(steps.size() == doc["steps"].size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string name = doc["steps"][i]["step"];
        INFO(steps[i]);
        CHECK(steps[i].starts_with("step " + name + " "));
        CHECK_THAT(steps[i], Catch::Matches("step \\S+ [0-9]+\\.[0-9]{3}s (passed|skipped): .*"));
    }
    CHECK(lines_starting(r.err, "sqlite ").empty());  // that is -vv
    const auto quiet = s.run({"restore", "--latest"});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
    CHECK(s.run({"-q", "-v", "restore", "--latest"}).err.empty());
}

TEST_CASE("cli verbose: -v shows the steps of backup db, verify, copy and prune with their durations") {
    Setup s;
    const std::string offsite = (s.dir / "offsite").string();
    test::init_repo(offsite);
    const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> runs = {
        {{"backup", "db"}, {"lock", "snapshot", "check", "store", "manifest"}},
        {{"verify", "--all"}, {"scan", "backup", "backup"}},
        {{"copy", "--all", "--to", offsite}, {"lock", "plan", "copy"}},
        {{"prune", "--keep-last", "1"}, {"lock", "plan", "remove", "collect_pages"}},
    };
    for (const auto& [args, names] : runs) {
        auto verbose = args;
        verbose.insert(verbose.begin(), "-v");
        const auto r = s.run(verbose);
        INFO(args[0] << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(Json::parse(r.out)["ok"] == true);
        const auto steps = lines_starting(r.err, "step ");
        REQUIRE(steps.size() == names.size());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            INFO(steps[i]);
            CHECK(steps[i].starts_with("step " + names[i] + " "));
            CHECK_THAT(steps[i], Catch::Matches("step \\S+ [0-9]+\\.[0-9]{3}s (passed|skipped): .+"));
        }
    }
    CHECK(s.run({"verify", "--all"}).err.empty());
}

TEST_CASE("cli verbose: -vv adds SQLite statements and HTTP requests") {
    Setup s;
    const auto restored = s.run({"-vv", "restore", "--latest"});
    REQUIRE(restored.exit_code == 0);
    const auto statements = lines_starting(restored.err, "sqlite ");
    CHECK_FALSE(statements.empty());
    CHECK_FALSE(lines_starting(restored.err, "step ").empty());
    for (const auto& line : statements) CHECK_THAT(line, Catch::Matches("sqlite \\S+ [0-9]+\\.[0-9]{3}ms: .+"));
    const auto drilled = s.run({"-vv", "drill", "--health-url", "http://127.0.0.1:1/healthz", "--health-timeout", "300ms"});
    CHECK(drilled.exit_code == 1);  // nothing answers there
    const auto requests = lines_starting(drilled.err, "http GET http://127.0.0.1:1/healthz -> ");
    CHECK_FALSE(requests.empty());
    CHECK_FALSE(lines_starting(drilled.err, "step service_restart ").empty());
}
