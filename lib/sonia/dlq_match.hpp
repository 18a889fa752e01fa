// How a DLQ restore is confirmed: which posted entries the gateway lists afterwards (docs/FORMAT.md).
#pragma once

#include "base/json.hpp"
#include "sonia/state.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// The rule entries are compared by: an id field every posted entry has, else their canonical JSON.
enum class DlqMatch { dlq_id, id, canonical_json };
std::string_view to_string(DlqMatch match);

// `dlq_id` when every entry has one, else `id` when every entry has one, else `canonical_json`.
DlqMatch choose_dlq_match(const std::vector<DlqEntry>& entries);

// How each entry is named in reports: its id, or `dlq[N]` (its position) under canonical_json.
std::vector<std::string> dlq_labels(const std::vector<DlqEntry>& entries, DlqMatch match);

// Each snapshot entry's key under `match`: its id, or the SHA-256 of its canonical JSON, read one entry
// at a time from its byte range in `snapshot`.
std::vector<std::string> dlq_keys(const fs::path& snapshot, const std::vector<DlqEntry>& entries, DlqMatch match);

// A listed entry's key under `match`; empty when it has no such id.
std::string dlq_key(const Json& entry, DlqMatch match);

// Keys sorted by their bytes, no insignificant whitespace, strings and numbers re-serialised: two
// entries that differ only in key order, spacing or escapes have the same canonical JSON.
std::string canonical_json(std::string_view json_text);

}  // namespace soniabk
