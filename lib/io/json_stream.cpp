#include "io/json_stream.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstring>

namespace soniabk {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(static_cast<char>(c)) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        return i > start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') {
        ++i;
    } else if (!digits()) {
        return false;
    }
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == s.size();
}

bool is_plain(unsigned char b) { return b != '"' && b != '\\' && b >= 0x20 && b < 0x80; }

// Length of the leading run of bytes a string may hold as they are (ASCII, no quote, backslash or
// control byte); eight bytes per step so even an unoptimised build scans hundreds of MB quickly.
std::size_t plain_run(const char* p, std::size_t n) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p + i, 8);
        const std::uint64_t quote = w ^ (ones * '"');
        const std::uint64_t backslash = w ^ (ones * '\\');
        const std::uint64_t special =
            ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((w - ones * 0x20) & ~w) | w;
        if ((special & highs) != 0) break;
    }
    while (i < n && is_plain(static_cast<unsigned char>(p[i]))) ++i;
    return i;
}

std::string shown(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f ? fmt::format("'{}'", c) : fmt::format("byte 0x{:02x}", u);
}

}  // namespace

JsonSyntaxError::JsonSyntaxError(std::uint64_t offset, const std::string& what)
    : std::runtime_error(fmt::format("{} at byte {}", what, offset)), offset_(offset) {}

void JsonScanner::feed(const char* data, std::size_t size) {
    std::size_t i = 0;
    while (i < size) {
        switch (token_) {
            case Token::none: i = structural(data, i, size); break;
            case Token::string: i = string_bytes(data, i, size); break;
            default: i = token_bytes(data, i, size); break;
        }
    }
    offset_ += size;
}

void JsonScanner::finish() {
    if (token_ == Token::number) end_number();
    if (token_ == Token::literal) end_literal();
    if (token_ == Token::string) fail_at(offset_, "document ends inside a string (truncated?)");
    if (expect_ == Expect::value && stack_.empty()) fail_at(offset_, "empty document");
    if (expect_ != Expect::done) fail_at(offset_, "document ends early (truncated?)");
}

std::size_t JsonScanner::structural(const char* p, std::size_t i, std::size_t n) {
    while (i < n && is_space(p[i])) ++i;
    if (i == n) return n;
    const char c = p[i];
    at_ = offset_ + i;
    switch (expect_) {
        case Expect::done: fail("content after the end of the document");
        case Expect::colon:
            if (c != ':') fail(fmt::format("expected ':' but found {}", shown(c)));
            expect_ = Expect::value;
            return i + 1;
        case Expect::comma_or_end:
            if (c == ',') {
                expect_ = stack_.back() ? Expect::value : Expect::key;
            } else if (c == (stack_.back() ? ']' : '}')) {
                close();
            } else {
                fail(fmt::format("expected ',' or '{}' but found {}", stack_.back() ? ']' : '}', shown(c)));
            }
            return i + 1;
        case Expect::first_key_or_end:
            if (c == '}') {
                close();
                return i + 1;
            }
            [[fallthrough]];
        case Expect::key:
            if (c != '"') fail(fmt::format("expected a string key but found {}", shown(c)));
            start_token(Token::string, true);
            return i + 1;
        case Expect::first_value_or_end:
            if (c == ']') {
                close();
                return i + 1;
            }
            [[fallthrough]];
        case Expect::value: break;
    }
    if (c == '{' || c == '[') {
        open(c == '[');
        return i + 1;
    }
    if (c == '"') {
        start_token(Token::string, false);
        return i + 1;
    }
    if (c == '-' || is_digit(c)) {
        start_token(Token::number, false);
    } else if (c == 't' || c == 'f' || c == 'n') {
        start_token(Token::literal, false);
    } else {
        fail(fmt::format("unexpected {}", shown(c)));
    }
    return i;  // the first byte of a number or literal belongs to its token
}

std::size_t JsonScanner::string_bytes(const char* p, std::size_t i, std::size_t n) {
    while (i < n) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (escape_state_ == 0 && utf8_remaining_ == 0) {
            // Fast path: the plain ASCII run that makes up nearly every byte of a snapshot.
            const std::size_t start = i;
            i += plain_run(p + i, n - i);
            capture(p + start, i - start);
            if (i == n) return n;
            const auto b = static_cast<unsigned char>(p[i]);
            if (b == '"') {
                at_ = offset_ + i;
                end_string();
                return i + 1;
            }
            if (b == '\\') {
                escape_state_ = 1;
                has_escape_ = true;
            } else if (b < 0x20) {
                fail_at(offset_ + i, "control character in a string (must be escaped)");
            } else {
                utf8_remaining_ = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
                if (utf8_remaining_ == 0) fail_at(offset_ + i, "invalid UTF-8 in a string");
                utf8_lead_ = b;
            }
        } else if (utf8_remaining_ > 0) {
            // Continuation bytes; the first one also rules out overlong forms and surrogates.
            const bool bad_second = (utf8_lead_ == 0xE0 && c < 0xA0) || (utf8_lead_ == 0xED && c > 0x9F) ||
                                    (utf8_lead_ == 0xF0 && c < 0x90) || (utf8_lead_ == 0xF4 && c > 0x8F);
            if ((c & 0xC0) != 0x80 || bad_second) fail_at(offset_ + i, "invalid UTF-8 in a string");
            utf8_lead_ = 0x80;
            --utf8_remaining_;
        } else if (escape_state_ == 1) {
            if (c == 'u') {
                escape_state_ = 2;
            } else if (c != 0 && std::strchr("\"\\/bfnrt", c) != nullptr) {
                escape_state_ = 0;
            } else {
                fail_at(offset_ + i, "invalid escape in a string");
            }
        } else {
            if (!is_hex(c)) fail_at(offset_ + i, "invalid \\u escape in a string");
            escape_state_ = escape_state_ == 5 ? 0 : escape_state_ + 1;
        }
        capture(p + i, 1);
        ++i;
    }
    return n;
}

std::size_t JsonScanner::token_bytes(const char* p, std::size_t i, std::size_t n) {
    const std::size_t start = i;
    if (token_ == Token::number) {
        while (i < n && (is_digit(p[i]) || p[i] == '-' || p[i] == '+' || p[i] == '.' || p[i] == 'e' || p[i] == 'E')) ++i;
    } else {
        while (i < n && p[i] >= 'a' && p[i] <= 'z') ++i;
    }
    capture(p + start, i - start);
    if (i == n) return n;
    if (token_ == Token::number) {
        end_number();
    } else {
        end_literal();
    }
    return i;  // the byte after the token is structure
}

void JsonScanner::start_token(Token token, bool is_key) {
    token_ = token;
    token_is_key_ = is_key;
    has_escape_ = false;
    token_length_ = 0;
    captured_.clear();
    escape_state_ = 0;
    utf8_remaining_ = 0;
}

void JsonScanner::capture(const char* data, std::size_t size) {
    if (captured_.size() < capture_limit) captured_.append(data, std::min(size, capture_limit - captured_.size()));
    token_length_ += size;
}

void JsonScanner::open(bool array) {
    if (stack_.size() >= max_depth) fail(fmt::format("nested deeper than {} levels", max_depth));
    events_.begin_container(array, at_);
    stack_.push_back(array);
    expect_ = array ? Expect::first_value_or_end : Expect::first_key_or_end;
}

void JsonScanner::close() {
    const bool array = stack_.back();
    stack_.pop_back();
    events_.end_container(array, at_ + 1);
    value_done();
}

void JsonScanner::value_done() { expect_ = stack_.empty() ? Expect::done : Expect::comma_or_end; }

void JsonScanner::end_string() {
    token_ = Token::none;
    const bool whole = token_length_ <= capture_limit;
    std::string decoded;
    if (has_escape_ && whole) {
        // Escapes are rare in keys and ids; nlohmann decodes them (and rejects lone surrogates).
        const auto parsed = nlohmann::json::parse("\"" + captured_ + "\"", nullptr, false);
        if (parsed.is_discarded()) fail("invalid \\u escape (lone surrogate) in a string");
        decoded = parsed.get<std::string>();
    }
    const std::string_view text = has_escape_ && whole ? std::string_view(decoded) : std::string_view(captured_);
    if (token_is_key_) {
        expect_ = Expect::colon;
        events_.key(text, whole);
    } else {
        value_done();
        events_.scalar(JsonScalar::string, text, whole);
    }
}

void JsonScanner::end_number() {
    token_ = Token::none;
    if (token_length_ > capture_limit || !is_json_number(captured_)) fail(fmt::format("invalid number '{}'", captured_.substr(0, 40)));
    value_done();
    events_.scalar(JsonScalar::number, captured_, true);
}

void JsonScanner::end_literal() {
    token_ = Token::none;
    const bool boolean = captured_ == "true" || captured_ == "false";
    if (!boolean && captured_ != "null") fail(fmt::format("invalid literal '{}'", captured_.substr(0, 40)));
    value_done();
    events_.scalar(boolean ? JsonScalar::boolean : JsonScalar::null, captured_, true);
}

void JsonScanner::fail(const std::string& what) const { fail_at(at_, what); }

void JsonScanner::fail_at(std::uint64_t offset, const std::string& what) const { throw JsonSyntaxError(offset, what); }

}  // namespace soniabk
