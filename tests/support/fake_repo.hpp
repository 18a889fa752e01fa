// Hand-made repositories for retention and status tests: small data files with real, matching manifests.
#pragma once

#include "base/clock.hpp"
#include "repo/repository.hpp"

#include <filesystem>
#include <string>

namespace soniabk::test {

struct FakeBackup {
    std::string kind = "db";
    std::string label = "daily";
    std::string content = "backup data";
    std::uint64_t claimed_size = 0;  // non-zero: the manifest claims this size (verify then fails)
};

// Writes `<repo>/<kind>/memory-<compact time>.db` and its manifest (true size and SHA-256 unless
// claimed_size is set); returns the backup id, `bkp_<time>_` + a counter so ids sort by time.
std::string add_fake_backup(const std::filesystem::path& repo, TimePoint at, const FakeBackup& backup = {});

// A data file without a manifest whose modification time is `modified`; returns its path.
std::filesystem::path add_incomplete_backup(const std::filesystem::path& repo, TimePoint modified,
                                            const std::string& kind = "db");

void set_modification_time(const std::filesystem::path& path, TimePoint at);

// "2026-11-26T02:00:00Z" -> TimePoint (the test fails loudly on a typo).
TimePoint at(const std::string& iso);

}  // namespace soniabk::test
