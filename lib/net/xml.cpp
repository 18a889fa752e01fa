#include "net/xml.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace soniabk {

namespace {

constexpr int max_depth = 64;  // S3's documents are 3 deep; a deeper one is hostile, not a listing

[[noreturn]] void fail(std::string_view why, std::size_t at) {
    throw runtime_error(ErrorCode::invalid_xml, fmt::format("invalid XML at byte {}: {}", at, why));
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
}

void append_utf8(std::string& out, std::uint32_t code, std::size_t at) {
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) fail("a character reference out of range", at);
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

class Parser {
public:
    explicit Parser(std::string_view doc) : doc_(doc) {}

    XmlElement document() {
        skip_misc();
        if (!at("<")) fail("no root element", pos_);
        XmlElement root = element(0);
        skip_misc();
        if (pos_ != doc_.size()) fail("content after the root element", pos_);
        return root;
    }

private:
    bool at(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }

    void skip_until(std::string_view end) {
        const std::size_t found = doc_.find(end, pos_);
        if (found == std::string_view::npos) fail(fmt::format("no closing '{}'", end), pos_);
        pos_ = found + end.size();
    }

    void skip_space() {
        while (pos_ < doc_.size() && (doc_[pos_] == ' ' || doc_[pos_] == '\t' || doc_[pos_] == '\r' || doc_[pos_] == '\n')) ++pos_;
    }

    // Whitespace, the declaration, comments and a doctype, before and after the root.
    void skip_misc() {
        for (;;) {
            skip_space();
            if (at("<?")) skip_until("?>");
            else if (at("<!--")) skip_until("-->");
            else if (at("<!")) skip_until(">");
            else return;
        }
    }

    std::string name() {
        const std::size_t start = pos_;
        while (pos_ < doc_.size() && is_name_char(doc_[pos_])) ++pos_;
        if (pos_ == start) fail("a tag without a name", start);
        return std::string(doc_.substr(start, pos_ - start));
    }

    // Attributes are skipped, quoted values included. Returns whether the tag closed itself ("/>").
    bool rest_of_start_tag() {
        for (;;) {
            if (pos_ >= doc_.size()) fail("an unterminated tag", pos_);
            const char c = doc_[pos_];
            if (c == '>') return ++pos_, false;
            if (c == '/' && at("/>")) return pos_ += 2, true;
            if (c == '"' || c == '\'') {
                const std::size_t close = doc_.find(c, pos_ + 1);
                if (close == std::string_view::npos) fail("an unterminated attribute value", pos_);
                pos_ = close + 1;
            } else {
                ++pos_;
            }
        }
    }

    void entity(std::string& out) {
        const std::size_t start = pos_;
        const std::size_t semi = doc_.find(';', pos_);
        if (semi == std::string_view::npos || semi - pos_ > 12) fail("an unterminated entity", start);
        const std::string_view ref = doc_.substr(pos_ + 1, semi - pos_ - 1);
        pos_ = semi + 1;
        if (ref == "amp") out += '&';
        else if (ref == "lt") out += '<';
        else if (ref == "gt") out += '>';
        else if (ref == "quot") out += '"';
        else if (ref == "apos") out += '\'';
        else if (ref.size() > 1 && ref[0] == '#') {
            const bool hex = ref[1] == 'x';
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            std::uint32_t code = 0;
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
            if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) fail("a bad character reference", start);
            append_utf8(out, code, start);
        } else {
            fail(fmt::format("an unknown entity '&{};'", ref), start);
        }
    }

    XmlElement element(int depth) {
        if (depth > max_depth) fail("elements nested too deep", pos_);
        ++pos_;  // '<'
        XmlElement e;
        e.name = name();
        if (rest_of_start_tag()) return e;
        for (;;) {
            if (pos_ >= doc_.size()) fail(fmt::format("<{}> is never closed", e.name), pos_);
            const char c = doc_[pos_];
            if (c == '&') {
                entity(e.text);
            } else if (c != '<') {
                e.text += c;
                ++pos_;
            } else if (at("</")) {
                pos_ += 2;
                const std::size_t start = pos_;
                if (name() != e.name) fail(fmt::format("</{}> closes <{}>", doc_.substr(start, pos_ - start), e.name), start);
                skip_space();
                if (!at(">")) fail("an unterminated end tag", pos_);
                ++pos_;
                return e;
            } else if (at("<![CDATA[")) {
                const std::size_t start = pos_ + 9;
                skip_until("]]>");
                e.text.append(doc_.substr(start, pos_ - 3 - start));
            } else if (at("<!--")) {
                skip_until("-->");
            } else if (at("<?")) {
                skip_until("?>");
            } else {
                e.children.push_back(element(depth + 1));
            }
        }
    }

    std::string_view doc_;
    std::size_t pos_ = 0;
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view wanted) const {
    for (const XmlElement& c : children) {
        if (c.name == wanted) return &c;
    }
    return nullptr;
}

std::string XmlElement::child_text(std::string_view wanted) const {
    const XmlElement* c = child(wanted);
    return c == nullptr ? std::string() : c->text;
}

std::vector<const XmlElement*> XmlElement::children_named(std::string_view wanted) const {
    std::vector<const XmlElement*> found;
    for (const XmlElement& c : children) {
        if (c.name == wanted) found.push_back(&c);
    }
    return found;
}

XmlElement parse_xml(std::string_view document) { return Parser(document).document(); }

}  // namespace soniabk
