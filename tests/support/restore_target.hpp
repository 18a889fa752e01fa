// A repository holding one backup (stored files) of a 20-memory database, and a different live database
// (5 memories) at <dir>/live/memory.db for restores to replace.
#pragma once

#include "process.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk::test {

struct RestoreTarget {
    TempDir dir;
    std::filesystem::path repo = dir / "repo";
    std::filesystem::path live = dir / "live" / "memory.db";

    RestoreTarget();
    // soniabk --json --repo REPO --db LIVE ARGS...
    ProcessResult run(std::vector<std::string> args) const;
};

}  // namespace soniabk::test
