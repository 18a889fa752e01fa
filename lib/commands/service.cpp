#include "commands/service.hpp"

#include "base/error.hpp"
#include "net/http.hpp"
#include "base/steps.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

// The first non-blank line of stderr, else of stdout: what the command said about its failure.
std::string first_line(const platform::CommandResult& result) {
    const std::string& text = result.err.find_first_not_of(" \t\r\n") != std::string::npos ? result.err : result.out;
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return "no output";
    std::string line = text.substr(start, text.find_first_of("\r\n", start) - start);
    return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

}  // namespace

std::string run_service_command(const std::string& option, const std::string& command, Duration timeout,
                                const platform::EnvironmentAdditions& env) {
    const auto started = std::chrono::steady_clock::now();
    const platform::CommandResult result = platform::run_shell_command(command, timeout, env);
    if (result.timed_out) {
        throw runtime_error(ErrorCode::command_timeout,
                            fmt::format("{} '{}' did not finish within {} and was killed", option, command,
                                        format_duration(timeout)));
    }
    if (result.exit_code != 0) {
        const std::string status =
            result.exit_code < 0 ? std::string("was killed by a signal") : fmt::format("exited with status {}", result.exit_code);
        throw runtime_error(ErrorCode::command_failed,
                            fmt::format("{} '{}' {}: {}", option, command, status, first_line(result)));
    }
    return fmt::format("'{}': exit 0 in {:.2f}s", command, seconds_since(started));
}

std::string require_healthy(const std::vector<std::string>& urls, Duration deadline) {
    const HealthResult health = wait_until_healthy(urls, deadline);
    if (!health.healthy) {
        throw check_failed(ErrorCode::unhealthy, fmt::format("not healthy within {}: {}", format_duration(deadline), health.detail));
    }
    return fmt::format("healthy after {:.2f}s: {}", health.waited_seconds, health.detail);
}

}  // namespace soniabk
