#include "net/http.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "platform/files.hpp"
#include "net/trace.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <optional>
#include <thread>

namespace soniabk {

namespace {

// The CLI's trace for -vv; set once at start-up, before any request.
Trace* request_trace = &no_trace();

void report_request(const std::string& method, const std::string& url, const httplib::Result& result,
                    std::chrono::steady_clock::time_point started) {
    if (!request_trace->wants(TraceLevel::detail)) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string answer = result ? fmt::format("HTTP {}", result->status) : httplib::to_string(result.error());
    request_trace->write(fmt::format("http {} {} -> {} ({:.3f}s)", method, url, answer, seconds));
}

struct ParsedUrl {
    std::string origin;  // scheme://host:port
    std::string target;  // path and query
};

ParsedUrl split_url(const std::string& url) {
    const bool https = url.starts_with("https://");
    if (!https && !url.starts_with("http://")) {
        throw usage_error(fmt::format("'{}' is not an http:// or https:// URL", url));
    }
    const std::size_t host_start = https ? 8 : 7;
    const std::size_t slash = url.find('/', host_start);
    if (slash == host_start) throw usage_error(fmt::format("'{}' has no host", url));
    if (slash == std::string::npos) return {url, "/"};
    return {url.substr(0, slash), url.substr(slash)};
}

httplib::Client make_client(const ParsedUrl& url, const HttpOptions& options) {
    httplib::Client client(url.origin);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options.timeout - seconds);
    client.set_connection_timeout(seconds.count(), micros.count());
    client.set_read_timeout(seconds.count(), micros.count());
    client.set_write_timeout(seconds.count(), micros.count());
    client.set_follow_location(false);
    client.set_keep_alive(false);
    return client;
}

[[noreturn]] void throw_transport(const std::string& method, const std::string& url, httplib::Error error,
                                  const HttpOptions& options) {
    switch (error) {
        case httplib::Error::Connection:
            throw runtime_error(ErrorCode::unreachable, fmt::format("{} {}: connection refused or host unreachable", method, url));
        case httplib::Error::Read:
        case httplib::Error::Write:
            throw runtime_error(ErrorCode::timeout, fmt::format("{} {}: no answer within {} or connection dropped", method, url,
                                                       format_duration(options.timeout)));
        case httplib::Error::ConnectionTimeout:
            throw runtime_error(ErrorCode::timeout, fmt::format("{} {}: timed out after {}", method, url,
                                                       format_duration(options.timeout)));
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
            throw runtime_error(ErrorCode::tls, fmt::format("{} {}: TLS failed ({})", method, url, httplib::to_string(error)));
        default:
            throw runtime_error(ErrorCode::unreachable, fmt::format("{} {}: {}", method, url, httplib::to_string(error)));
    }
}

std::string first_line(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    return line.empty() ? "(empty body)" : line;
}

void require_2xx(const std::string& method, const std::string& url, const HttpResponse& response) {
    if (response.status < 200 || response.status > 299) {
        throw runtime_error(ErrorCode::http_status,
                            fmt::format("{} {}: HTTP {}: {}", method, url, response.status, first_line(response.body)));
    }
}

}  // namespace

void trace_http(Trace& trace) { request_trace = &trace; }

Trace& http_trace() { return *request_trace; }

HttpResponse http_request(const std::string& method, const std::string& url, const std::string& body,
                          const HttpOptions& options) {
    const ParsedUrl parsed = split_url(url);
    httplib::Client client = make_client(parsed, options);
    const auto started = std::chrono::steady_clock::now();
    httplib::Result result = method == "POST" ? client.Post(parsed.target, body, "application/json")
                                              : client.Get(parsed.target);
    report_request(method, url, result, started);
    if (!result) throw_transport(method, url, result.error(), options);
    return {result->status, result->body};
}

HttpResponse http_expect_ok(const std::string& method, const std::string& url, const std::string& body,
                            const HttpOptions& options) {
    HttpResponse response = http_request(method, url, body, options);
    require_2xx(method, url, response);
    return response;
}

HttpResponse http_post_file(const std::string& url, const std::filesystem::path& file, const HttpOptions& options) {
    const ParsedUrl parsed = split_url(url);
    platform::InputFile in(file);
    const std::uint64_t size = in.size();
    std::vector<char> buffer(stream_chunk_bytes);
    std::optional<Error> read_error;  // exceptions must not cross cpp-httplib's frames
    auto provider = [&](std::size_t, std::size_t length, httplib::DataSink& sink) {
        try {
            const std::size_t n = in.read(buffer.data(), std::min(length, buffer.size()));
            return n > 0 && sink.write(buffer.data(), n);
        } catch (const Error& e) {
            read_error = e;
            return false;
        }
    };
    httplib::Client client = make_client(parsed, options);
    const auto started = std::chrono::steady_clock::now();
    httplib::Result result = client.Post(parsed.target, static_cast<std::size_t>(size), provider, "application/json");
    report_request("POST", url, result, started);
    if (read_error) throw *read_error;
    if (!result) throw_transport("POST", url, result.error(), options);
    HttpResponse response{result->status, result->body};
    require_2xx("POST", url, response);
    return response;
}

HealthResult wait_until_healthy(const std::vector<std::string>& urls, Duration deadline, Duration interval) {
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + deadline;
    HealthResult result;
    std::vector<bool> healthy(urls.size(), false);
    for (;;) {
        std::string detail;
        bool all = true;
        for (std::size_t i = 0; i < urls.size(); ++i) {
            if (!healthy[i]) {
                try {
                    const auto remaining = std::chrono::duration_cast<Duration>(end - std::chrono::steady_clock::now());
                    const HttpResponse r =
                        http_request("GET", urls[i], {}, {std::max(remaining, Duration(std::chrono::milliseconds(100)))});
                    healthy[i] = r.status == 200;
                    detail += fmt::format("{}{}: HTTP {}", detail.empty() ? "" : "; ", urls[i], r.status);
                } catch (const Error& e) {
                    detail += fmt::format("{}{}", detail.empty() ? "" : "; ", e.what());
                }
            } else {
                detail += fmt::format("{}{}: HTTP 200", detail.empty() ? "" : "; ", urls[i]);
            }
            all = all && healthy[i];
        }
        result.detail = detail;
        result.waited_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (all) {
            result.healthy = true;
            return result;
        }
        if (std::chrono::steady_clock::now() + interval >= end) return result;
        std::this_thread::sleep_for(interval);
    }
}

}  // namespace soniabk
