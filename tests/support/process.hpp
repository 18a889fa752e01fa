// Real child processes for tests: run to completion with captured output, or start and kill.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace soniabk::test {

struct ProcessResult {
    int exit_code = -1;     // -1 when killed by a signal
    int signal = 0;
    std::string out;
    std::string err;
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
    std::filesystem::path out_path_;
    std::filesystem::path err_path_;
    std::filesystem::path in_path_;
    bool reaped_ = false;
    int status_ = 0;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Path of the built soniabk binary (set by CMake) and of the test helper programs beside it.
std::filesystem::path soniabk_binary();
std::filesystem::path helper_binary(const std::string& name);

// Runs soniabk with `args`.
ProcessResult run_soniabk(const std::vector<std::string>& args, const ProcessOptions& options = {});

}  // namespace soniabk::test
