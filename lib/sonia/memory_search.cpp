#include "sonia/memory_search.hpp"

#include "sqlite/sqlite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>
#include <vector>

namespace soniabk {

namespace {

constexpr std::size_t max_query_words = 8;
constexpr std::size_t like_snippet_bytes = 64;

bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) != 0;
}

// At most `bytes` bytes of `text`, never cutting a UTF-8 character in two.
std::string_view prefix_of(std::string_view text, std::size_t bytes) {
    if (text.size() <= bytes) return text;
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
    return text.substr(0, bytes);
}

struct MemoryStore {
    Database db;
    bool fts = false;
    std::string active;  // the SQL condition for a memory that is not archived

    std::string how() const { return fts ? "FTS5 memories_fts MATCH" : "LIKE on memories.content"; }

    std::int64_t count_matches(const std::string& text) {
        const std::string query = fts_query(text);
        if (fts && !query.empty()) {
            Statement s = db.prepare(fmt::format("SELECT count(*) FROM memories_fts f JOIN memories m ON m.rowid = f.rowid"
                                                 " WHERE memories_fts MATCH ?1 AND {}", active));
            s.bind(1, query).step();
            return s.column_int(0);
        }
        Statement s = db.prepare(fmt::format("SELECT count(*) FROM memories WHERE content LIKE ?1 ESCAPE '\\' AND {}", active));
        s.bind(1, like_pattern(text)).step();
        return s.column_int(0);
    }

    // Searches for the memory by its own content, as a user recalling it would; true when it comes back.
    bool finds(std::int64_t rowid, const std::string& content) {
        const std::string query = fts_query(content);
        if (fts && !query.empty()) {
            Statement s = db.prepare("SELECT 1 FROM memories_fts WHERE memories_fts MATCH ?1 AND rowid = ?2");
            s.bind(1, query).bind(2, rowid);
            return s.step();
        }
        Statement s = db.prepare(fmt::format("SELECT rowid FROM memories WHERE content LIKE ?1 ESCAPE '\\' AND {}", active));
        s.bind(1, like_pattern(prefix_of(content, like_snippet_bytes)));
        while (s.step()) {
            if (s.column_int(0) == rowid) return true;
        }
        return false;
    }
};

// Up to `count` non-archived memories spread evenly over the rowid range, each found by an index seek.
std::vector<std::pair<std::int64_t, std::string>> sample(MemoryStore& store, int count) {
    Statement range = store.db.prepare(fmt::format("SELECT min(rowid), max(rowid) FROM memories WHERE {}", store.active));
    range.step();
    std::vector<std::pair<std::int64_t, std::string>> picked;
    if (range.is_null(0) || count <= 0) return picked;
    const std::int64_t low = range.column_int(0);
    const std::int64_t high = range.column_int(1);
    for (int i = 0; i < count; ++i) {
        Statement next = store.db.prepare(
            fmt::format("SELECT rowid, content FROM memories WHERE rowid >= ?1 AND {} ORDER BY rowid LIMIT 1", store.active));
        next.bind(1, low + (high - low) * i / count);
        if (!next.step() || next.is_null(1)) continue;
        const std::int64_t rowid = next.column_int(0);
        if (picked.empty() || picked.back().first != rowid) picked.emplace_back(rowid, next.column_text(1));
    }
    return picked;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string fts_query(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && is_word_byte(text[i])) {
            word += text[i];
        } else if (!word.empty()) {
            words.push_back(std::exchange(word, {}));
        }
    }
    // Words of three bytes or more carry the meaning and match under every FTS5 tokenizer, trigram included.
    std::vector<std::string> chosen;
    for (const auto& w : words) {
        if (w.size() >= 3 && chosen.size() < max_query_words) chosen.push_back(w);
    }
    if (chosen.empty()) chosen.assign(words.begin(), words.begin() + std::min(words.size(), max_query_words));
    std::string query;
    for (const auto& w : chosen) query += (query.empty() ? "\"" : " \"") + w + "\"";
    return query;
}

std::string like_pattern(std::string_view text) {
    std::string pattern = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    return pattern + "%";
}

StepOutcome run_search_test(const std::filesystem::path& database, const SearchTestOptions& options) {
    MemoryStore store{Database::open(database, Database::Mode::read_only), false, {}};
    if (!store.db.has_table("memories")) return StepOutcome::fail("no memories table: not a SONIA memory store");
    store.fts = store.db.has_table("memories_fts");
    store.active = store.db.has_column("memories", "archived_at") ? "archived_at IS NULL" : "1";
    const auto started = std::chrono::steady_clock::now();
    if (options.text) {
        const std::int64_t hits = store.count_matches(*options.text);
        const std::string detail = fmt::format("'{}': {} non-archived memories found ({}), at least {} expected, {:.0f} ms",
                                               *options.text, hits, store.how(), options.expect_min,
                                               milliseconds_since(started));
        return hits >= options.expect_min ? StepOutcome::pass(detail) : StepOutcome::fail(detail);
    }
    const auto memories = sample(store, options.sample_size);
    if (memories.empty()) return StepOutcome::pass("no non-archived memories to search for");
    std::vector<std::int64_t> missed;
    for (const auto& [rowid, content] : memories) {
        if (!store.finds(rowid, content)) missed.push_back(rowid);
    }
    const std::string counts = fmt::format("{} of {} sampled memories found again by content ({}) in {:.0f} ms",
                                           memories.size() - missed.size(), memories.size(), store.how(),
                                           milliseconds_since(started));
    if (missed.empty()) return StepOutcome::pass(counts);
    return StepOutcome::fail(fmt::format("memory {} not found by its own content; {}", fmt::join(missed, ", "), counts));
}

}  // namespace soniabk
