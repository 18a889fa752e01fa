// The documented fields of a snapshot's entries (docs/FORMAT.md) and how each value is checked.
#pragma once

#include "io/json_stream.hpp"
#include "sonia/state.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace soniabk {

enum class FieldKind {
    id,                   // a non-empty string of at most JsonScanner::capture_limit bytes
    text,                 // a non-empty string
    timestamp,            // an ISO-8601 date and time
    any,                  // any JSON value
    non_negative_number,  // a JSON number >= 0
};

struct FieldRule {
    std::string_view name;
    FieldKind kind;
};

// Every entry of `section` must carry these fields (none for `dlq` and `breakers`: any object).
std::span<const FieldRule> field_rules(StateSection section);

// What is wrong with a field's value ("is not a non-empty string"), empty when it fits. `type` is
// empty for an array or object; `whole` is false when the string was longer than the capture limit.
std::string field_problem(FieldKind kind, std::optional<JsonScalar> type, std::string_view text, bool whole);

}  // namespace soniabk
