// A strict parser of Prometheus' text exposition format (0.0.4), so tests check metrics files by machine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace soniabk::test {

struct MetricSample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct MetricFamily {
    std::string help;
    std::string type;  // counter | gauge | histogram | summary | untyped
    std::vector<MetricSample> samples;
};

struct Exposition {
    std::map<std::string, MetricFamily> families;

    // The value of the one sample `name{labels}`, if present.
    std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

// Parses `text` or throws std::invalid_argument naming the line and the rule it breaks: metric and label
// name syntax, quoted and escaped label values, float values (NaN, +Inf, -Inf), at most one HELP and TYPE
// per family and before its samples, a family's samples together, no repeated series, a final newline.
Exposition parse_prometheus_text(const std::string& text);

}  // namespace soniabk::test
