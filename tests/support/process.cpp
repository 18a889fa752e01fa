#include "process.hpp"

#include "platform/processes.hpp"

namespace soniabk::test {

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    Child child(argv, options);
    return child.wait();
}

#ifdef _WIN32
// The test programs sit beside soniabk.exe; wine runs them from a Windows path, not from the build's Unix one.
std::filesystem::path soniabk_binary() { return platform::executable_path().parent_path() / "soniabk.exe"; }

std::filesystem::path helper_binary(const std::string& name) { return soniabk_binary().parent_path() / (name + ".exe"); }
#else
std::filesystem::path soniabk_binary() { return SONIABK_BINARY; }

std::filesystem::path helper_binary(const std::string& name) { return soniabk_binary().parent_path() / name; }
#endif

ProcessResult run_soniabk(const std::vector<std::string>& args, const ProcessOptions& options) {
    std::vector<std::string> argv{soniabk_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options);
}

}  // namespace soniabk::test
