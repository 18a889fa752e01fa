// soniabk-test-gateway as a real child process on an ephemeral port of 127.0.0.1, stopped on destruction.
#pragma once

#include "process.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace soniabk::test {

class GatewayProcess {
public:
    // Starts the gateway with its backups folder `dir` (created) and `extra_args` (faults, seed data;
    // see tests/support/README.md), and waits until it has bound its port.
    explicit GatewayProcess(const std::filesystem::path& dir, const std::vector<std::string>& extra_args = {});
    GatewayProcess(const GatewayProcess&) = delete;
    GatewayProcess& operator=(const GatewayProcess&) = delete;
    ~GatewayProcess();

    int port() const { return port_; }
    std::string url() const;  // http://127.0.0.1:PORT
    const std::filesystem::path& dir() const { return dir_; }
    // The requests it served, one "METHOD PATH STATUS" line each.
    std::string request_log() const;
    int pid() const { return child_.pid(); }

private:
    std::filesystem::path dir_;
    std::filesystem::path port_file_;
    std::filesystem::path log_file_;
    Child child_;
    int port_ = 0;
};

}  // namespace soniabk::test
