#include "base/fault.hpp"

#include "base/interrupt.hpp"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace soniabk::fault {

namespace {

std::mutex spec_mutex;
std::optional<std::string> spec_override;

std::string current_spec() {
    std::lock_guard lock(spec_mutex);
    if (spec_override) return *spec_override;
    const char* env = std::getenv("SONIABK_FAULT");
    return env ? env : "";
}

// Returns the action named for `name` in the comma-separated spec, or nothing.
std::optional<std::string> action_for(std::string_view name) {
    const std::string spec = current_spec();
    std::string_view rest = spec;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto colon = item.find(':');
        if (item.substr(0, colon) == name) {
            return colon == std::string_view::npos ? std::string("kill") : std::string(item.substr(colon + 1));
        }
    }
    return std::nullopt;
}

}  // namespace

void point(std::string_view name) {
    interrupt::check();  // every step boundary is also where an interrupted writer stops
    const auto action = action_for(name);
    if (!action) return;
    if (*action == "pause") {  // a writer caught mid-work, for tests that send it real signals
        for (int tick = 0; tick < 6000; ++tick) {
            interrupt::check();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return;
    }
#ifdef SIGKILL
    if (*action == "kill") std::raise(SIGKILL);
#endif
    std::_Exit(99);
}

bool should_fail(std::string_view name) { return action_for(name).has_value(); }

void set_for_testing(std::string_view spec) {
    std::lock_guard lock(spec_mutex);
    spec_override = std::string(spec);
}

}  // namespace soniabk::fault
