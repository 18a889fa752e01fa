// `verify --read-data-subset N/M`: one of M fixed subsets of the repository's stored data read back in full,
// so that M runs (one a night with `auto/M`) read every byte the repository holds.
#pragma once

#include "base/clock.hpp"
#include "codec/keys.hpp"
#include "commands/verify.hpp"
#include "repo/repository.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

struct DataSubset {
    std::uint32_t n = 1;  // 1-based
    std::uint32_t m = 1;

    std::string text() const;  // "3/7"
};

// "N/M" with 1 <= N <= M, or "auto/M": N from the UTC day number, so consecutive days take turns.
DataSubset parse_data_subset(std::string_view text, TimePoint now);
// Whether the object `key` is in the subset: by its SHA-256, the same on every platform and every run.
bool in_subset(const DataSubset& subset, std::string_view key);

struct SubsetReport {
    DataSubset subset;
    std::uint64_t backups_read = 0;  // file backups verified --deep
    std::uint64_t packs_read = 0;
    std::uint64_t packs_total = 0;
    std::uint64_t bytes_read = 0;  // of packs

    Json to_json() const;
};

// Reads every pack of the subset back (bytes, and pages where a key or a plain store allows); each
// failure becomes a failed check naming the pack.
void check_pack_subset(const Repository& repo, const KeyOptions& keys, SubsetReport& report,
                       std::vector<CheckOutcome>& checks);

}  // namespace soniabk
