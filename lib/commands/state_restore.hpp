// `restore state`: gives a stored snapshot's dead letters back to the gateway and proves they arrived.
#pragma once

#include "codec/keys.hpp"
#include "base/clock.hpp"
#include "sonia/dlq_match.hpp"
#include "sonia/gateway.hpp"
#include "sonia/state.hpp"

#include "base/json.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

struct RestoreStateOptions {
    fs::path repo;
    std::string id;  // a backup id or unique prefix; empty with `latest`
    bool latest = false;
    bool dlq = false;                        // restore the DLQ (the only part the gateway takes back)
    std::optional<StateSection> extract;     // instead, hand back this part as JSON
    bool dry_run = false;                    // show what would be posted, post nothing
    std::string gateway = default_gateway_url;
    Duration timeout = std::chrono::seconds(10);
    KeyOptions keys;  // for encrypted snapshots
    const Clock* clock = &system_clock();
};

struct StateRestoreResult {
    bool ok = true;
    std::string backup_id;
    fs::path path;
    std::uint64_t size_bytes = 0;
    std::string gateway;
    std::string url;  // where the snapshot is (or would be) posted
    bool dry_run = false;
    bool posted = false;
    StateCounts counts;
    DlqMatch match = DlqMatch::canonical_json;  // how the gateway's list was compared with what was posted
    std::vector<std::string> dlq_ids;   // in the snapshot: ids, or dlq[N] under canonical_json
    std::vector<std::string> restored;  // listed by the gateway afterwards
    std::vector<std::string> missing;   // not listed: the restore did not take
    std::optional<Json> extracted;      // --extract: the part itself

    // With --extract the part itself, else the restore report.
    Json to_json() const;
};

// Verifies the stored snapshot (SHA-256 and structure) first, then extracts, dry-runs, or posts the
// snapshot to the gateway's DLQ restore endpoint and checks GET /v1/dead-letters for every DLQ entry
// (by `dlq_id`, else `id`, else canonical JSON: DlqMatch).
// Missing ids make `ok` false (exit 1); sessions, confirmations and breakers are never posted.
StateRestoreResult restore_state(const RestoreStateOptions& options);

}  // namespace soniabk
