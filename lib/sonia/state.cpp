#include "sonia/state.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "platform/files.hpp"
#include "sonia/state_fields.hpp"

#include <fmt/format.h>

namespace soniabk {

std::string_view to_string(StateSection section) {
    switch (section) {
        case StateSection::sessions: return "sessions";
        case StateSection::confirmations: return "confirmations";
        case StateSection::dlq: return "dlq";
        case StateSection::breakers: return "breakers";
    }
    return "dlq";
}

std::optional<StateSection> parse_state_section(std::string_view name) {
    for (const StateSection s : state_sections) {
        if (to_string(s) == name) return s;
    }
    return std::nullopt;
}

Json StateCounts::to_json() const {
    Json j = Json::object();
    for (const StateSection s : state_sections) j[fmt::format("{}_count", to_string(s))] = (*this)[s];
    return j;
}

std::string StateCounts::describe() const {
    std::string text;
    for (const StateSection s : state_sections) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", to_string(s), (*this)[s]);
    return text;
}

// Follows the scanner's events with a small amount of context: which top-level key, which entry, which field.
class StateValidator::Handler final : public JsonEvents {
public:
    Handler(const fs::path& origin, DlqEntries dlq) : origin_(origin), dlq_(dlq) {}

    void begin_container(bool array, std::uint64_t offset) override {
        ++depth_;
        if (depth_ == 1 && array) invalid("the document is an array, not a snapshot object");
        if (depth_ == 2) begin_top_value(array, offset);
        if (depth_ == 3 && section_) begin_entry(array, offset);
        if (depth_ == 4 && section_) check_field(std::nullopt, {}, true);
    }

    void end_container(bool, std::uint64_t end_offset) override {
        if (depth_ == 3 && section_) finish_entry(end_offset);
        if (depth_ == 2 && section_) {
            summary.ranges[static_cast<std::size_t>(*section_)].end = end_offset;
            section_.reset();
        }
        --depth_;
    }

    void key(std::string_view name, bool whole) override {
        if (depth_ == 1) top_key_ = whole ? std::string(name) : std::string();
        if (depth_ == 3) field_ = whole ? std::string(name) : std::string();
    }

    void scalar(JsonScalar type, std::string_view text, bool whole) override {
        if (depth_ == 0) invalid("the document is not a JSON object");
        if (depth_ == 1) top_scalar(type, text, whole);
        if (depth_ == 2 && section_) invalid(fmt::format("{} is not an object", entry_name(summary.counts[*section_])));
        if (depth_ == 3 && section_) check_field(type, text, whole);
    }

    void finish() {
        std::string missing;
        for (const StateSection s : state_sections) {
            if (!seen_[static_cast<std::size_t>(s)]) missing += fmt::format("{}'{}'", missing.empty() ? "" : ", ", to_string(s));
        }
        if (!missing.empty()) invalid(fmt::format("missing array {}", missing));
        if (!seen_backup_id_) invalid("missing string 'backup_id'");
        if (!seen_timestamp_) invalid("missing string 'timestamp'");
    }

    StateSummary summary;

private:
    [[noreturn]] void invalid(const std::string& why) const {
        throw runtime_error(ErrorCode::state_invalid, fmt::format("{}: not a valid gateway state snapshot: {}", origin_.string(), why),
                            origin_);
    }

    std::string entry_name(std::uint64_t index) const { return fmt::format("{}[{}]", to_string(*section_), index); }
    std::string current_entry() const { return entry_name(summary.counts[*section_] - 1); }

    void begin_top_value(bool array, std::uint64_t offset) {
        const auto section = parse_state_section(top_key_);
        if (!section) {
            if (top_key_ == "backup_id" || top_key_ == "timestamp") invalid(fmt::format("'{}' is not a string", top_key_));
            return;  // other keys are the gateway's business
        }
        if (!array) invalid(fmt::format("'{}' is not an array", top_key_));
        const auto index = static_cast<std::size_t>(*section);
        if (seen_[index]) invalid(fmt::format("'{}' appears twice", top_key_));
        seen_[index] = true;
        section_ = section;
        summary.ranges[index].begin = offset;
    }

    void top_scalar(JsonScalar type, std::string_view text, bool whole) {
        if (parse_state_section(top_key_)) invalid(fmt::format("'{}' is not an array", top_key_));
        const bool id = top_key_ == "backup_id";
        if (!id && top_key_ != "timestamp") return;
        if (type != JsonScalar::string || text.empty()) invalid(fmt::format("'{}' is not a non-empty string", top_key_));
        if (!id && !(whole && is_iso8601_timestamp(text))) invalid("'timestamp' is not an ISO-8601 timestamp");
        (id ? summary.backup_id : summary.timestamp) = std::string(text);
        (id ? seen_backup_id_ : seen_timestamp_) = true;
    }

    void begin_entry(bool array, std::uint64_t offset) {
        if (array) invalid(fmt::format("{} is not an object", entry_name(summary.counts[*section_])));
        ++summary.counts[*section_];
        seen_fields_ = 0;
        if (collecting()) summary.dlq.push_back({std::nullopt, std::nullopt, {offset, offset}});
    }

    bool collecting() const { return dlq_ == DlqEntries::collect && *section_ == StateSection::dlq; }

    // `type` is empty when the field's value is an array or object.
    void check_field(std::optional<JsonScalar> type, std::string_view text, bool whole) {
        const auto rules = field_rules(*section_);
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (rules[i].name != field_) continue;
            const std::string problem = field_problem(rules[i].kind, type, text, whole);
            if (!problem.empty()) invalid(fmt::format("{}.{} {}", current_entry(), field_, problem));
            seen_fields_ |= 1U << i;
        }
        // An id too long to hold whole is no id: such entries are matched by their content instead.
        if (collecting() && type == JsonScalar::string && whole && !text.empty() && (field_ == "dlq_id" || field_ == "id")) {
            (field_ == "id" ? summary.dlq.back().id : summary.dlq.back().dlq_id) = std::string(text);
        }
    }

    void finish_entry(std::uint64_t end_offset) {
        const auto rules = field_rules(*section_);
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if ((seen_fields_ & (1U << i)) == 0) invalid(fmt::format("{} has no '{}'", current_entry(), rules[i].name));
        }
        if (collecting()) summary.dlq.back().bytes.end = end_offset;
    }

    const fs::path& origin_;
    DlqEntries dlq_;
    int depth_ = 0;
    std::string top_key_;
    std::string field_;
    std::optional<StateSection> section_;  // the section whose array is open
    std::array<bool, 4> seen_{};
    bool seen_backup_id_ = false;
    bool seen_timestamp_ = false;
    std::uint32_t seen_fields_ = 0;  // bit i: field_rules(section)[i] was present
};

StateValidator::StateValidator(fs::path origin, DlqEntries dlq)
    : origin_(std::move(origin)), handler_(std::make_unique<Handler>(origin_, dlq)), scanner_(*handler_) {}

StateValidator::~StateValidator() = default;

void StateValidator::feed(const char* data, std::size_t size) {
    try {
        scanner_.feed(data, size);
    } catch (const JsonSyntaxError& e) {
        throw runtime_error(ErrorCode::invalid_json, fmt::format("{}: not valid JSON: {}", origin_.string(), e.what()), origin_);
    }
}

StateSummary StateValidator::finish() {
    try {
        scanner_.finish();
    } catch (const JsonSyntaxError& e) {
        throw runtime_error(ErrorCode::invalid_json, fmt::format("{}: not valid JSON: {}", origin_.string(), e.what()), origin_);
    }
    handler_->finish();
    return std::move(handler_->summary);
}

StateSummary validate_state_file(const fs::path& path, DlqEntries dlq) {
    platform::InputFile in(path);
    StateValidator validator(path, dlq);
    std::vector<char> buffer(stream_chunk_bytes);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) validator.feed(buffer.data(), n);
    return validator.finish();
}

}  // namespace soniabk
