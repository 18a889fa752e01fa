// An HTTP proxy on 127.0.0.1 (an ephemeral port) in front of the test S3 gateway that forwards every request
// untouched (Host included, so SigV4 still verifies) and answers some with faults instead, counting what it saw
// and what it broke, so that retry tests assert that retries really happened.
#pragma once

#include <chrono>
#include <climits>
#include <cstddef>
#include <memory>
#include <string>

namespace soniabk::test {

enum class FaultKind {
    slow_down,     // 503 with an S3 <Error><Code>SlowDown</Code> body, not forwarded
    reset,         // forwarded; the answer's headers and its first bytes, then the connection closed
    truncate,      // forwarded; the whole body's Content-Length, half of it, then the connection closed
    error_in_200,  // 200 with an <Error><Code>InternalError</Code> body, not forwarded (a failed completion)
    latency,       // forwarded after a sleep of `delay`
    skew,          // 403 RequestTimeTooSkewed, not forwarded
};

struct FaultRule {
    static constexpr int always = INT_MAX;

    FaultKind kind = FaultKind::slow_down;
    std::string method;  // "GET", "PUT", ...; empty: any (HEAD is its own method)
    std::string target;  // a regex searched for in the raw path and query ("uploadId=", "\\.db$"); empty: any
    int times = 1;       // fires for the first `times` matching requests
    int every = 0;       // nonzero: fires on every `every`th matching request instead, without end
    std::chrono::milliseconds delay{0};  // latency's sleep
};

class LocalHttpServer;

class FaultProxy {
public:
    // `upstream`: the gateway's "http://host:port".
    explicit FaultProxy(const std::string& upstream);
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;
    ~FaultProxy();

    // "http://127.0.0.1:PORT", the endpoint clients are given.
    std::string endpoint() const;
    // Adds a rule, counted from now; returns its number for fired(). The first rule that matches and fires applies.
    std::size_t add(FaultRule rule);
    // How often rule `rule` fired.
    int fired(std::size_t rule) const;
    // Requests seen (faulted or forwarded) whose method is `method` (empty: any) and raw target matches `target`.
    int seen(const std::string& method = {}, const std::string& target = {}) const;

private:
    struct State;
    std::unique_ptr<State> state_;
    std::unique_ptr<LocalHttpServer> server_;  // after state_: stopped first, so no request outlives the state
};

}  // namespace soniabk::test
