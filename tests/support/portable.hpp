// What tests need to say the same thing on Linux and Windows: the environment, shell snippets for the operator's
// commands (sh there, cmd.exe here), and skipping what cannot mean the same on Windows, with the reason printed.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#ifdef _WIN32
// Prints the reason in the test output (Catch's WARN is always reported) and ends the test there.
#define SONIABK_SKIP_ON_WINDOWS(reason)              \
    do {                                             \
        WARN("SKIPPED on Windows: " << (reason));    \
        return;                                      \
    } while (false)
#else
#define SONIABK_SKIP_ON_WINDOWS(reason) \
    do {                                \
    } while (false)
#endif

namespace soniabk::test {

void set_env(const std::string& name, const std::string& value);
void unset_env(const std::string& name);

// A command the system shell runs that writes `message` (if any) to stderr and exits with `code`.
std::string shell_exit(int code, const std::string& message = "");
// A command that appends the line `text` (plain words, maybe a shell_variable) to `file`.
std::string shell_append(const std::string& text, const std::string& file);
// `first`, then `second` whatever `first` did.
std::string shell_and_then(const std::string& first, const std::string& second);
// A command that prints `text` only if the file named by the environment variable `name` exists.
std::string shell_echo_if_file(const std::string& name, const std::string& text);
// How the shell expands the environment variable `name` ($NAME, %NAME%).
std::string shell_variable(const std::string& name);
// The environment that makes `dir` a child's temp directory: TMPDIR on POSIX, TMP (GetTempPath's first) on Windows.
std::map<std::string, std::string> temp_dir_env(const std::filesystem::path& dir);
// Whether this is wine rather than Windows: some Windows services (the Restart Manager) answer less there.
bool running_under_wine();
// `text` with the "\r\n" line ends cmd.exe writes made "\n".
std::string unix_newlines(std::string text);

}  // namespace soniabk::test
