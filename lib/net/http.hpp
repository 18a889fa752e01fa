// HTTP to SONIA's gateway and health endpoints: bounded timeouts, no redirects, one-line errors.
#pragma once

#include "base/clock.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk {

struct HttpResponse {
    int status = 0;
    std::string body;
};

struct HttpOptions {
    Duration timeout = std::chrono::seconds(10);  // connect, read and write, each
};

// Performs one request to an http:// or https:// URL. Connection failures and timeouts throw
// (code "unreachable" / "timeout"); any HTTP status is returned, redirects are not followed.
HttpResponse http_request(const std::string& method, const std::string& url, const std::string& body = {},
                          const HttpOptions& options = {});

// Like http_request, but a status other than 2xx throws (code "http_status") with the body's first line.
HttpResponse http_expect_ok(const std::string& method, const std::string& url, const std::string& body = {},
                            const HttpOptions& options = {});

// POSTs a file as the body, read in chunks (memory stays flat); a status other than 2xx throws like
// http_expect_ok.
HttpResponse http_post_file(const std::string& url, const std::filesystem::path& file, const HttpOptions& options = {});

struct HealthResult {
    bool healthy = false;
    std::string detail;  // the last status or error seen per URL
    double waited_seconds = 0;
};

// Polls every URL until each has answered 200 or `deadline` has passed.
HealthResult wait_until_healthy(const std::vector<std::string>& urls, Duration deadline,
                                Duration interval = std::chrono::milliseconds(250));

}  // namespace soniabk
