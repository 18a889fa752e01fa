// The gateway state snapshot: its required structure, checked in one streaming pass, and its counts.
#pragma once

#include "base/json.hpp"
#include "io/json_stream.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

// The four arrays of a snapshot, in the order every count and report lists them.
enum class StateSection { sessions, confirmations, dlq, breakers };
inline constexpr std::array<StateSection, 4> state_sections = {StateSection::sessions, StateSection::confirmations,
                                                                StateSection::dlq, StateSection::breakers};
std::string_view to_string(StateSection section);
std::optional<StateSection> parse_state_section(std::string_view name);

struct StateCounts {
    std::array<std::uint64_t, 4> entries{};  // indexed by StateSection

    std::uint64_t& operator[](StateSection s) { return entries[static_cast<std::size_t>(s)]; }
    std::uint64_t operator[](StateSection s) const { return entries[static_cast<std::size_t>(s)]; }
    bool operator==(const StateCounts&) const = default;
    // {"sessions_count":..,"confirmations_count":..,"dlq_count":..,"breakers_count":..}: the gateway's names.
    Json to_json() const;
    // "sessions 2, confirmations 1, dlq 3, breakers 2"
    std::string describe() const;
};

// Byte range of one section's array in the snapshot file, '[' to ']' inclusive.
struct ByteRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

// What identifies one DLQ entry: its string `dlq_id` and `id` fields when it has them, and its bytes.
struct DlqEntry {
    std::optional<std::string> dlq_id;
    std::optional<std::string> id;
    ByteRange bytes;
};

// Whether the validator records every DLQ entry's identity (restore needs it; backup and verify do not).
enum class DlqEntries { skip, collect };

struct StateSummary {
    std::string backup_id;  // the gateway's id, from the snapshot itself
    std::string timestamp;
    StateCounts counts;
    std::array<ByteRange, 4> ranges{};
    std::vector<DlqEntry> dlq;  // only with DlqEntries::collect
};

// Checks a snapshot in the gateway's documented format, fed in chunks of any size (docs/FORMAT.md):
// a JSON object with `backup_id`, an ISO-8601 `timestamp` and the arrays `sessions`, `confirmations`,
// `dlq`, `breakers` of objects; sessions and confirmations carry their documented fields with the
// documented types; any other field is accepted. Memory stays flat.
// Problems throw soniabk errors naming `origin` and the entry: "invalid_json" or "state_invalid" (exit 3).
class StateValidator {
public:
    StateValidator(fs::path origin, DlqEntries dlq);
    StateValidator(const StateValidator&) = delete;
    StateValidator& operator=(const StateValidator&) = delete;
    ~StateValidator();

    void feed(const char* data, std::size_t size);
    StateSummary finish();

private:
    class Handler;
    fs::path origin_;
    std::unique_ptr<Handler> handler_;
    JsonScanner scanner_;
};

// Streams a stored snapshot through the validator (verify --deep, restore).
StateSummary validate_state_file(const fs::path& path, DlqEntries dlq = DlqEntries::skip);

// ISO-8601 date and time: YYYY-MM-DDTHH:MM:SS, optional fraction, optional Z or ±HH:MM / ±HHMM offset.
bool is_iso8601_timestamp(std::string_view text);

}  // namespace soniabk
