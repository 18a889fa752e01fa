#include "services.hpp"

#include "portable.hpp"
#include "temp_dir.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace soniabk::test {

void wait_for_file(const std::filesystem::path& path) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (read_text(path).empty()) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("timed out waiting for " + path.string());
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

HealthServer start_health_server(const std::filesystem::path& dir, int status) {
    const auto portfile = dir / ("health-port-" + std::to_string(status));
    Child server({helper_binary("soniabk-test-health-server").string(), portfile.string(), "--status",
                  std::to_string(status)});
    wait_for_file(portfile);
    const std::string text = unix_newlines(read_text(portfile));  // the helper writes "\r\n" on Windows
    return {std::move(server), "http://127.0.0.1:" + text.substr(0, text.find('\n')) + "/healthz"};
}

// A port that was free a moment ago: bound, then closed again without ever listening for long.
std::string unreachable_url() {
    int port = 0;
    {
        httplib::Server server;
        port = server.bind_to_any_port("127.0.0.1");
    }
    return "http://127.0.0.1:" + std::to_string(port) + "/healthz";
}

Child hold_database_open(const std::filesystem::path& db, const std::filesystem::path& dir, Hold hold) {
    const auto ready = dir / "holder-ready";
    std::filesystem::remove(ready);
    std::vector<std::string> argv{helper_binary("soniabk-test-db-holder").string(), db.string(), ready.string()};
    if (hold == Hold::exclusive_lock) argv.push_back("--exclusive");
    Child holder(argv);
    wait_for_file(ready);
    return holder;
}

}  // namespace soniabk::test
