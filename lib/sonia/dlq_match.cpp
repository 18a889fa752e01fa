#include "sonia/dlq_match.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace soniabk {

namespace {

[[noreturn]] void ends_early(const fs::path& snapshot) {
    throw runtime_error(ErrorCode::io, fmt::format("{}: ends inside its DLQ array", snapshot.string()), snapshot);
}

}  // namespace

std::string_view to_string(DlqMatch match) {
    switch (match) {
        case DlqMatch::dlq_id: return "dlq_id";
        case DlqMatch::id: return "id";
        case DlqMatch::canonical_json: return "canonical_json";
    }
    return "canonical_json";
}

DlqMatch choose_dlq_match(const std::vector<DlqEntry>& entries) {
    if (std::all_of(entries.begin(), entries.end(), [](const DlqEntry& e) { return e.dlq_id.has_value(); })) return DlqMatch::dlq_id;
    if (std::all_of(entries.begin(), entries.end(), [](const DlqEntry& e) { return e.id.has_value(); })) return DlqMatch::id;
    return DlqMatch::canonical_json;
}

std::vector<std::string> dlq_labels(const std::vector<DlqEntry>& entries, DlqMatch match) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (match == DlqMatch::dlq_id) labels.push_back(*entries[i].dlq_id);
        else if (match == DlqMatch::id) labels.push_back(*entries[i].id);
        else labels.push_back(fmt::format("dlq[{}]", i));
    }
    return labels;
}

std::vector<std::string> dlq_keys(const fs::path& snapshot, const std::vector<DlqEntry>& entries, DlqMatch match) {
    if (match != DlqMatch::canonical_json) return dlq_labels(entries, match);
    platform::InputFile in(snapshot);
    std::vector<std::string> keys;
    std::string bytes;
    std::vector<char> skip(stream_chunk_bytes);
    std::uint64_t at = 0;  // entries come in file order: read forward, skipping what lies between them
    for (const DlqEntry& entry : entries) {
        while (at < entry.bytes.begin) {
            const std::size_t n = in.read(skip.data(), static_cast<std::size_t>(std::min<std::uint64_t>(skip.size(), entry.bytes.begin - at)));
            if (n == 0) ends_early(snapshot);
            at += n;
        }
        bytes.resize(static_cast<std::size_t>(entry.bytes.end - entry.bytes.begin));
        for (std::size_t got = 0; got < bytes.size();) {
            const std::size_t n = in.read(bytes.data() + got, bytes.size() - got);
            if (n == 0) ends_early(snapshot);
            got += n;
        }
        at = entry.bytes.end;
        keys.push_back(sha256_hex(canonical_json(bytes)));
    }
    return keys;
}

std::string dlq_key(const Json& entry, DlqMatch match) {
    if (!entry.is_object()) return {};
    if (match == DlqMatch::canonical_json) return sha256_hex(canonical_json(entry.dump()));
    const auto it = entry.find(std::string(to_string(match)));
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string canonical_json(std::string_view json_text) {
    // nlohmann::json keeps object keys in a std::map: dump() writes them sorted.
    return nlohmann::json::parse(json_text).dump();
}

}  // namespace soniabk
