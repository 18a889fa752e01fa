#include "process.hpp"

#include "temp_dir.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace soniabk::test {

namespace {

std::filesystem::path capture_path(const char* what) {
    static std::atomic<int> counter{0};
    return std::filesystem::temp_directory_path() /
           ("soniabk-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "." + what);
}

}  // namespace

Child::Child(const std::vector<std::string>& argv, const ProcessOptions& options)
    : out_path_(capture_path("out")), err_path_(capture_path("err")), in_path_(capture_path("in")) {
    write_text(in_path_, options.stdin_text);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        for (const auto& [key, value] : options.env) ::setenv(key.c_str(), value.c_str(), 1);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(126);
        const int in = ::open(in_path_.c_str(), O_RDONLY);
        const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_), handle_(other.handle_), out_path_(std::move(other.out_path_)), err_path_(std::move(other.err_path_)),
      in_path_(std::move(other.in_path_)), reaped_(other.reaped_), status_(other.status_),
      peak_memory_bytes_(other.peak_memory_bytes_) {
    other.pid_ = -1;
}

Child::~Child() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
    std::error_code ignored;
    std::filesystem::remove(out_path_, ignored);
    std::filesystem::remove(err_path_, ignored);
    std::filesystem::remove(in_path_, ignored);
}

void Child::kill(int signal) {
    if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

bool Child::running() {
    if (reaped_) return false;
    rusage usage{};
    const int rc = ::wait4(pid_, &status_, WNOHANG, &usage);
    if (rc == pid_) {
        reaped_ = true;
        peak_memory_bytes_ = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
    }
    return !reaped_;
}

ProcessResult Child::wait() {
    if (!reaped_) {
        rusage usage{};
        while (::wait4(pid_, &status_, 0, &usage) < 0 && errno == EINTR) {
        }
        reaped_ = true;
        peak_memory_bytes_ = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
    }
    ProcessResult result;
    if (WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) result.signal = WTERMSIG(status_);
    result.out = read_text(out_path_);
    result.err = read_text(err_path_);
    result.peak_memory_bytes = peak_memory_bytes_;
    return result;
}

}  // namespace soniabk::test
