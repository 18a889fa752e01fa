#include "cli_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace soniabk::test {

ProcessResult CliFixture::run(std::vector<std::string> args, const ProcessOptions& options) const {
    args.insert(args.end(), {"--repo", repo.string(), "--db", db.string()});
    return run_soniabk(args, options);
}

Json CliFixture::run_json(std::vector<std::string> args, int expected_exit, const ProcessOptions& options) const {
    args.push_back("--json");
    const ProcessResult r = run(args, options);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == expected_exit);
    const Json doc = Json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
}

ProcessOptions in_dir(const TempDir& dir, std::map<std::string, std::string> env) {
    for (const char* name : {"SONIABK_CONFIG", "SONIABK_REPO", "SONIABK_DB"}) env.emplace(name, "");
    return {env, dir.path(), ""};
}

void create_repository(const CliFixture& f) { REQUIRE(f.run({"init"}).exit_code == 0); }

std::vector<std::string> CliFixture::files(const std::string& kind) const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(repo / kind, ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

const Json& drill_step(const Json& drill, const std::string& name) {
    for (const auto& s : drill["steps"]) {
        if (s["step"] == name) return s;
    }
    FAIL("no step " << name);
    return drill;
}

}  // namespace soniabk::test
