// A temp dir with a sample memory database and a repository path, and soniabk runs against them.
#pragma once

#include "base/json.hpp"
#include "process.hpp"
#include "sample_db.hpp"
#include "temp_dir.hpp"

#include <map>
#include <string>
#include <vector>

namespace soniabk::test {

namespace fs = std::filesystem;

struct CliFixture {
    TempDir dir;
    std::filesystem::path db = dir / "memory.db";
    std::filesystem::path repo = dir / "repo";

    explicit CliFixture(const SampleDbOptions& options = {}) { create_sample_db(db, options); }

    // Runs soniabk with --repo and --db set, plus `args`.
    ProcessResult run(std::vector<std::string> args, const ProcessOptions& options = {}) const;
    // Runs with --json and parses stdout, which must be exactly one JSON document.
    Json run_json(std::vector<std::string> args, int expected_exit = 0, const ProcessOptions& options = {}) const;
    // The data files and manifests of `kind` in the repository, by name.
    std::vector<std::string> files(const std::string& kind = "db") const;
};

// A clean environment: no inherited SONIABK_CONFIG, SONIABK_REPO or SONIABK_DB, no ./soniabk.toml (cwd is `dir`).
ProcessOptions in_dir(const TempDir& dir, std::map<std::string, std::string> env = {});

// Runs `init` for the fixture's repository (the test stops if it fails).
void create_repository(const CliFixture& f);

// The drill step named `name` in a drill's JSON document (the test fails when there is none).
const Json& drill_step(const Json& drill, const std::string& name);

}  // namespace soniabk::test
