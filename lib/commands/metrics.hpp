// `status` as Prometheus text exposition for node_exporter's textfile collector.
#pragma once

#include "commands/status.hpp"

#include <filesystem>
#include <string>

namespace soniabk {

// Every metric with its HELP and TYPE lines; per-kind metrics carry a `kind` label.
std::string prometheus_text(const StatusResult& status);

// Publishes `text` atomically (a scrape never sees half a file), readable by node_exporter's own user.
void write_prometheus_textfile(const std::filesystem::path& path, const std::string& text);

}  // namespace soniabk
