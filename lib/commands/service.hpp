// Service control around a recovery: the operator's stop/start/restart commands and health polling.
#pragma once

#include "base/clock.hpp"
#include "platform/processes.hpp"

#include <string>
#include <vector>

namespace soniabk {

// Runs the command given to `option` (e.g. "--stop-cmd") through the shell. A non-zero exit throws
// runtime "command_failed" with the status and stderr's first line; outliving `timeout` throws
// "command_timeout". Returns the step detail ("exit 0 in 0.12s").
std::string run_service_command(const std::string& option, const std::string& command, Duration timeout,
                                const platform::EnvironmentAdditions& env);

// Polls every URL until each answers HTTP 200; throws check_failed "unhealthy" with the last answers
// when `deadline` passes first. Returns the step detail.
std::string require_healthy(const std::vector<std::string>& urls, Duration deadline);

}  // namespace soniabk
