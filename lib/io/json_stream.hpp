// A push parser that checks JSON syntax chunk by chunk and reports its structure, holding only short strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

enum class JsonScalar { string, number, boolean, null };

// What the scanner reports; a handler may throw to stop the scan.
class JsonEvents {
public:
    virtual ~JsonEvents() = default;
    // `offset` is the byte of '[' or '{'; `end_offset` is one past ']' or '}'.
    virtual void begin_container(bool array, std::uint64_t offset) = 0;
    virtual void end_container(bool array, std::uint64_t end_offset) = 0;
    // Strings and keys arrive decoded; `whole` is false when longer than the capture limit (then cut).
    virtual void key(std::string_view name, bool whole) = 0;
    virtual void scalar(JsonScalar type, std::string_view text, bool whole) = 0;
};

// A syntax error at a byte offset of the document.
class JsonSyntaxError : public std::runtime_error {
public:
    JsonSyntaxError(std::uint64_t offset, const std::string& what);
    std::uint64_t offset() const noexcept { return offset_; }

private:
    std::uint64_t offset_;
};

// Validates one JSON document (RFC 8259, UTF-8) fed in pieces of any size; memory stays bounded by
// the nesting depth and the capture limit, whatever the document's size.
class JsonScanner {
public:
    static constexpr std::size_t capture_limit = 4096;
    static constexpr std::size_t max_depth = 512;

    explicit JsonScanner(JsonEvents& events) : events_(events) {}

    void feed(const char* data, std::size_t size);
    // Throws unless exactly one complete document (and only whitespace after it) was fed.
    void finish();

private:
    enum class Expect : std::uint8_t { value, first_value_or_end, first_key_or_end, key, colon, comma_or_end, done };
    enum class Token : std::uint8_t { none, string, number, literal };

    std::size_t structural(const char* p, std::size_t i, std::size_t n);
    std::size_t string_bytes(const char* p, std::size_t i, std::size_t n);
    std::size_t token_bytes(const char* p, std::size_t i, std::size_t n);
    void start_token(Token token, bool is_key);
    void open(bool array);
    void close();
    void value_done();
    void end_string();
    void end_number();
    void end_literal();
    void capture(const char* data, std::size_t size);
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void fail_at(std::uint64_t offset, const std::string& what) const;

    JsonEvents& events_;
    std::vector<bool> stack_;  // true: array, false: object
    Expect expect_ = Expect::value;
    Token token_ = Token::none;
    bool token_is_key_ = false;
    bool has_escape_ = false;
    std::size_t token_length_ = 0;  // the whole token, of which captured_ holds at most capture_limit bytes
    std::string captured_;
    int escape_state_ = 0;          // 0 none, 1 after '\', 2..5 hex digits of \u still expected
    int utf8_remaining_ = 0;        // continuation bytes still expected
    unsigned char utf8_lead_ = 0;
    std::uint64_t offset_ = 0;      // bytes consumed before the current chunk
    std::uint64_t at_ = 0;          // offset of the structural byte or token start being handled
};

}  // namespace soniabk
