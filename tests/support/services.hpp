// Real helper processes for restore and drill tests: a health endpoint and a process holding a database open.
#pragma once

#include "process.hpp"

#include <filesystem>
#include <string>

namespace soniabk::test {

// Waits (up to 10 s) until `path` exists and is not empty.
void wait_for_file(const std::filesystem::path& path);

struct HealthServer {
    Child process;
    std::string url;  // http://127.0.0.1:PORT/healthz
};

// Starts soniabk-test-health-server answering every GET with `status`; `dir` holds its port file.
HealthServer start_health_server(const std::filesystem::path& dir, int status = 200);

// A URL on 127.0.0.1 where nothing listens (a port bound and released again).
std::string unreachable_url();

// What soniabk-test-db-holder holds: an idle connection, or SQLite's exclusive lock (readers kept out).
enum class Hold { open, exclusive_lock };

// Starts soniabk-test-db-holder on `db` and waits until its connection (and lock) is held.
Child hold_database_open(const std::filesystem::path& db, const std::filesystem::path& dir, Hold hold = Hold::open);

}  // namespace soniabk::test
