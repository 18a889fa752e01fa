#include "gateway_process.hpp"

#include "temp_dir.hpp"

#include <csignal>
#include <stdexcept>
#include <thread>

namespace soniabk::test {

namespace {

std::vector<std::string> gateway_argv(const std::filesystem::path& dir, const std::filesystem::path& port_file,
                                      const std::filesystem::path& log_file, const std::vector<std::string>& extra) {
    std::vector<std::string> argv{helper_binary("soniabk-test-gateway").string(), "--port-file", port_file.string(),
                                  "--dir", dir.string(), "--log", log_file.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

}  // namespace

GatewayProcess::GatewayProcess(const std::filesystem::path& dir, const std::vector<std::string>& extra_args)
    : dir_(dir),
      port_file_(dir.parent_path() / (dir.filename().string() + ".port")),
      log_file_(dir.parent_path() / (dir.filename().string() + ".requests")),
      child_(gateway_argv(dir, port_file_, log_file_, extra_args)) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    // Read until it holds the port: on Windows a read can meet the file mid-rename, empty.
    std::string port;
    while ((port = read_text(port_file_)).empty()) {
        if (!child_.running()) {
            throw std::runtime_error("soniabk-test-gateway exited before binding: " + child_.wait().err);
        }
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("soniabk-test-gateway did not bind in 20 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    port_ = std::stoi(port);
}

GatewayProcess::~GatewayProcess() {
    child_.kill(SIGTERM);
    child_.wait();
    std::error_code ignored;
    std::filesystem::remove(port_file_, ignored);
}

std::string GatewayProcess::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string GatewayProcess::request_log() const { return read_text(log_file_); }

}  // namespace soniabk::test
