// The drill's search test: a restored memory store must find its memories again, through FTS5 when it has it.
#pragma once

#include "base/steps.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace soniabk {

struct SearchTestOptions {
    std::optional<std::string> text;  // search for this (every word must occur) and expect >= expect_min hits
    int expect_min = 1;
    int sample_size = 5;  // otherwise: this many non-archived memories, spread over the table, found by content
};

// The words of `text` (runs of letters, digits and non-ASCII bytes), longer ones first in text order,
// each quoted for FTS5 so no word is read as query syntax; FTS5 ANDs them.
std::string fts_query(std::string_view text);
// `%text%` with LIKE's wildcards escaped by backslash (use with ESCAPE '\\').
std::string like_pattern(std::string_view text);

// Searches memories_fts with MATCH when the table exists, else memories.content with LIKE; archived
// memories (archived_at set) are left out. A miss is a failed outcome, not an exception.
StepOutcome run_search_test(const std::filesystem::path& database, const SearchTestOptions& options);

}  // namespace soniabk
