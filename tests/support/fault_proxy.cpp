#include "fault_proxy.hpp"

#include "local_http_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

namespace soniabk::test {

namespace {

bool same_name(const std::string& a, const char* b) {
    const auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
    return std::equal(a.begin(), a.end(), b, b + std::char_traits<char>::length(b), [&](char x, char y) { return lower(x) == lower(y); });
}

// What httplib's server adds to a request, and what each hop sets for itself.
bool is_hop_header(const std::string& name) {
    for (const char* hop : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT", "Connection", "Keep-Alive", "Transfer-Encoding"}) {
        if (same_name(name, hop)) return true;
    }
    return false;
}

bool targets_match(const std::string& target, const std::string& pattern) {
    return pattern.empty() || std::regex_search(target, std::regex(pattern));
}

void answer_s3_error(httplib::Response& response, int status, const std::string& code, const std::string& message) {
    response.status = status;
    response.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message +
                             "</Message></Error>",
                         "application/xml");
}

httplib::Result forward_to(const std::string& upstream, const httplib::Request& request) {
    httplib::Client client(upstream);
    client.set_url_encode(false);  // the raw target, exactly as the client encoded and signed it
    client.set_read_timeout(60, 0);
    client.set_write_timeout(60, 0);
    httplib::Request out;
    out.method = request.method;
    out.path = request.target;
    for (const auto& [name, value] : request.headers) {
        if (!is_hop_header(name)) out.headers.emplace(name, value);
    }
    out.body = request.body;
    return client.send(out);
}

// The gateway's answer with its whole body's length, but only `sent` bytes of it, then a close. An empty body is
// cut short too: the headers promise one byte that never comes.
void cut_short(httplib::Response& response, std::string body, std::size_t sent) {
    const std::size_t promised = std::max<std::size_t>(body.size(), 1);
    const std::string type = response.get_header_value("Content-Type");
    response.headers.erase("Content-Type");
    response.set_content_provider(promised, type, [body = std::move(body), sent](std::size_t, std::size_t, httplib::DataSink& sink) {
        if (sent > 0) sink.write(body.data(), sent);
        return false;  // httplib then closes the connection, the rest unsent
    });
}

// The faults answered without asking the gateway; false for the others.
bool answer_instead(FaultKind kind, httplib::Response& response) {
    switch (kind) {
    case FaultKind::slow_down:
        answer_s3_error(response, 503, "SlowDown", "Please reduce your request rate.");
        return true;
    case FaultKind::skew:
        answer_s3_error(response, 403, "RequestTimeTooSkewed",
                        "The difference between the request time and the server's time is too large.");
        return true;
    case FaultKind::error_in_200:
        answer_s3_error(response, 200, "InternalError", "We encountered an internal error. Please try again.");
        return true;
    default:
        return false;
    }
}

}  // namespace

struct FaultProxy::State {
    struct CountedRule {
        FaultRule rule;
        int matched = 0;
        int fired = 0;
    };
    struct SeenByProxy {
        std::string method;
        std::string target;
    };

    explicit State(std::string to) : upstream(std::move(to)) {}

    std::string upstream;
    mutable std::mutex mutex;
    std::vector<CountedRule> rules;
    std::vector<SeenByProxy> seen;

    // Logs the request and returns the rule that fires for it, if any.
    std::optional<FaultRule> fault_for(const httplib::Request& request) {
        const std::lock_guard guard(mutex);
        seen.push_back({request.method, request.target});
        for (CountedRule& counted : rules) {
            const FaultRule& rule = counted.rule;
            if (!rule.method.empty() && rule.method != request.method) continue;
            if (!targets_match(request.target, rule.target)) continue;
            const int n = ++counted.matched;
            if (rule.every > 0 ? n % rule.every != 0 : n > rule.times) continue;
            ++counted.fired;
            return rule;
        }
        return std::nullopt;
    }

    void handle(const httplib::Request& request, httplib::Response& response) {
        // httplib's server would apply the client's Range again to the gateway's answer, which is that range already.
        const_cast<httplib::Request&>(request).ranges.clear();
        const std::optional<FaultRule> fault = fault_for(request);
        if (fault && answer_instead(fault->kind, response)) return;
        if (fault && fault->kind == FaultKind::latency) std::this_thread::sleep_for(fault->delay);
        httplib::Result result = forward_to(upstream, request);
        if (!result) {
            response.status = 502;
            response.set_content("the fault proxy could not reach " + upstream + ": " + httplib::to_string(result.error()), "text/plain");
            return;
        }
        response.status = result->status;
        for (const auto& [name, value] : result->headers) {
            // httplib sets a body's length itself; a HEAD answer has none, so it keeps the gateway's.
            if (is_hop_header(name) || (same_name(name, "Content-Length") && request.method != "HEAD")) continue;
            response.headers.emplace(name, value);
        }
        std::string body = std::move(result->body);
        const std::size_t size = body.size();
        if (fault && fault->kind == FaultKind::reset) return cut_short(response, std::move(body), std::min<std::size_t>(size / 4, 1024));
        if (fault && fault->kind == FaultKind::truncate) return cut_short(response, std::move(body), size / 2);
        response.body = std::move(body);
    }
};

FaultProxy::FaultProxy(const std::string& upstream)
    : state_(std::make_unique<State>(upstream)),
      server_(std::make_unique<LocalHttpServer>([state = state_.get()](const httplib::Request& request, httplib::Response& response) {
          state->handle(request, response);
      })) {}

FaultProxy::~FaultProxy() = default;

std::string FaultProxy::endpoint() const { return server_->endpoint(); }

std::size_t FaultProxy::add(FaultRule rule) {
    const std::lock_guard guard(state_->mutex);
    state_->rules.push_back({std::move(rule)});
    return state_->rules.size() - 1;
}

int FaultProxy::fired(std::size_t rule) const {
    const std::lock_guard guard(state_->mutex);
    return state_->rules.at(rule).fired;
}

int FaultProxy::seen(const std::string& method, const std::string& target) const {
    const std::lock_guard guard(state_->mutex);
    return static_cast<int>(std::count_if(state_->seen.begin(), state_->seen.end(), [&](const State::SeenByProxy& s) {
        return (method.empty() || s.method == method) && targets_match(s.target, target);
    }));
}

}  // namespace soniabk::test
