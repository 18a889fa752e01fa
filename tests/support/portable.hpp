// What tests need to say the same thing on Linux and Windows: the environment, shell snippets for the operator's
// commands (sh there, cmd.exe here), and skipping what cannot mean the same on Windows, with the reason printed.
#pragma once

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
// How the shell expands the environment variable `name` ($NAME, %NAME%).
std::string shell_variable(const std::string& name);
// `text` with the "\r\n" line ends cmd.exe writes made "\n".
std::string unix_newlines(std::string text);

}  // namespace soniabk::test
