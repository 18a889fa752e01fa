#include "prometheus_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace soniabk::test {

namespace {

const std::regex metric_name("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex label_name("[a-zA-Z_][a-zA-Z0-9_]*");

[[noreturn]] void fail(int line, const std::string& why) {
    throw std::invalid_argument("line " + std::to_string(line) + ": " + why);
}

double parse_value(const std::string& text, int line) {
    if (text == "NaN") return std::nan("");
    if (text == "+Inf") return INFINITY;
    if (text == "-Inf") return -INFINITY;
    static const std::regex number(R"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)");
    if (!std::regex_match(text, number)) fail(line, "'" + text + "' is not a float");
    return std::strtod(text.c_str(), nullptr);
}

// Reads `{name="value",...}` from `pos`; label values escape only backslash, double quote and newline.
std::map<std::string, std::string> parse_labels(const std::string& s, std::size_t& pos, int line) {
    std::map<std::string, std::string> labels;
    ++pos;  // '{'
    while (pos < s.size() && s[pos] != '}') {
        const std::size_t eq = s.find('=', pos);
        if (eq == std::string::npos) fail(line, "label without '='");
        const std::string name = s.substr(pos, eq - pos);
        if (!std::regex_match(name, label_name)) fail(line, "bad label name '" + name + "'");
        if (eq + 1 >= s.size() || s[eq + 1] != '"') fail(line, "label value not quoted");
        std::string value;
        pos = eq + 2;
        for (;; ++pos) {
            if (pos >= s.size()) fail(line, "unterminated label value");
            if (s[pos] == '"') break;
            if (s[pos] == '\\') {
                ++pos;
                if (pos >= s.size() || (s[pos] != '\\' && s[pos] != '"' && s[pos] != 'n')) fail(line, "bad escape");
                value += s[pos] == 'n' ? '\n' : s[pos];
            } else {
                value += s[pos];
            }
        }
        ++pos;  // closing quote
        if (!labels.emplace(name, value).second) fail(line, "label '" + name + "' repeated");
        if (pos < s.size() && s[pos] == ',') ++pos;
        else if (pos >= s.size() || s[pos] != '}') fail(line, "expected ',' or '}' after a label");
    }
    if (pos >= s.size()) fail(line, "unterminated label set");
    ++pos;  // '}'
    return labels;
}

}  // namespace

std::optional<double> Exposition::value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    const auto family = families.find(name);
    if (family == families.end()) return std::nullopt;
    for (const auto& sample : family->second.samples) {
        if (sample.labels == labels) return sample.value;
    }
    return std::nullopt;
}

Exposition parse_prometheus_text(const std::string& text) {
    if (!text.empty() && text.back() != '\n') throw std::invalid_argument("the last line does not end in a newline");
    Exposition out;
    std::set<std::string> helped, typed, closed, series;
    std::string current;  // the family whose samples are being read
    std::istringstream in(text);
    std::string s;
    for (int line = 1; std::getline(in, s); ++line) {
        if (!s.empty() && s.back() == '\r') s.pop_back();  // a file written in Windows text mode
        if (s.empty()) continue;
        if (s[0] == '#') {
            std::istringstream words(s);
            std::string hash, keyword, name;
            words >> hash >> keyword >> name;
            if (hash != "#" || (keyword != "HELP" && keyword != "TYPE")) continue;  // a plain comment
            if (!std::regex_match(name, metric_name)) fail(line, "bad metric name '" + name + "'");
            if (!out.families[name].samples.empty()) fail(line, keyword + " for " + name + " after its samples");
            std::string rest;
            std::getline(words >> std::ws, rest);
            if (keyword == "HELP") {
                if (!helped.insert(name).second) fail(line, "second HELP for " + name);
                out.families[name].help = rest;
            } else {
                static const std::set<std::string> types = {"counter", "gauge", "histogram", "summary", "untyped"};
                if (!typed.insert(name).second) fail(line, "second TYPE for " + name);
                if (!types.contains(rest)) fail(line, "unknown type '" + rest + "'");
                out.families[name].type = rest;
            }
            continue;
        }
        std::size_t pos = s.find_first_of("{ ");
        if (pos == std::string::npos) fail(line, "sample without a value");
        MetricSample sample;
        sample.name = s.substr(0, pos);
        if (!std::regex_match(sample.name, metric_name)) fail(line, "bad metric name '" + sample.name + "'");
        if (s[pos] == '{') sample.labels = parse_labels(s, pos, line);
        if (pos >= s.size() || s[pos] != ' ') fail(line, "expected a space before the value");
        std::istringstream fields(s.substr(pos + 1));
        std::string value, timestamp, extra;
        fields >> value >> timestamp >> extra;
        if (value.empty() || !extra.empty()) fail(line, "expected 'value [timestamp]'");
        if (!timestamp.empty() && !std::regex_match(timestamp, std::regex("-?[0-9]+"))) fail(line, "bad timestamp");
        sample.value = parse_value(value, line);
        if (sample.name != current) {
            if (closed.contains(sample.name)) fail(line, "samples of " + sample.name + " are not together");
            if (!current.empty()) closed.insert(current);
            current = sample.name;
        }
        std::string key = sample.name;
        for (const auto& [k, v] : sample.labels) key += "\x1f" + k + "=" + v;
        if (!series.insert(key).second) fail(line, "series repeated: " + sample.name);
        out.families[sample.name].samples.push_back(std::move(sample));
    }
    return out;
}

}  // namespace soniabk::test
