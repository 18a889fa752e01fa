// Real child processes for tests: run to completion with captured output, or start and kill.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#ifndef SIGKILL
// Windows has no signals to send: Child::kill(SIGKILL) ends the process with exit code 128 + 9, as a shell
// reports a killed one, and the result reads as killed by that signal on both platforms.
#define SIGKILL 9
#endif

namespace soniabk::test {

struct ProcessResult {
    int exit_code = -1;     // -1 when killed by a signal
    int signal = 0;
    std::string out;
    std::string err;
    std::uint64_t peak_memory_bytes = 0;  // the child's peak resident set (Windows: peak working set)
};

struct ProcessOptions {
    std::map<std::string, std::string> env;  // added to (or replacing in) the parent's environment
    std::filesystem::path cwd;
    std::string stdin_text;
};

class Child {
public:
    Child(const std::vector<std::string>& argv, const ProcessOptions& options = {});
    Child(Child&& other) noexcept;
    Child(const Child&) = delete;
    ~Child();  // kills a child still running

    int pid() const { return pid_; }
    void kill(int signal);
    bool running();
    ProcessResult wait();

private:
    int pid_ = -1;
    std::intptr_t handle_ = -1;  // Windows: the process handle
    std::filesystem::path out_path_;
    std::filesystem::path err_path_;
    std::filesystem::path in_path_;
    bool reaped_ = false;
    int status_ = 0;
    std::uint64_t peak_memory_bytes_ = 0;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Path of the built soniabk binary (set by CMake) and of the test helper programs beside it.
std::filesystem::path soniabk_binary();
std::filesystem::path helper_binary(const std::string& name);

// Runs soniabk with `args`.
ProcessResult run_soniabk(const std::vector<std::string>& args, const ProcessOptions& options = {});

// Whether `text` (a run's output) holds `needle`.
inline bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace soniabk::test
