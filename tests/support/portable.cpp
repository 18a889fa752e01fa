#include "portable.hpp"

#include <algorithm>
#include <cstdlib>

#ifdef _WIN32
#include <windows.h>
#endif

namespace soniabk::test {

#ifdef _WIN32
void set_env(const std::string& name, const std::string& value) { ::_putenv_s(name.c_str(), value.c_str()); }
void unset_env(const std::string& name) { ::_putenv_s(name.c_str(), ""); }

std::string shell_exit(int code, const std::string& message) {
    const std::string exit = "exit " + std::to_string(code);
    return message.empty() ? exit : ">&2 echo " + message + "& " + exit;  // no space: echo would print it
}

std::string shell_append(const std::string& text, const std::string& file) {
    return "echo " + text + ">> \"" + file + "\"";
}

// No space before '&': cmd.exe's echo would print it as part of the text.
std::string shell_and_then(const std::string& first, const std::string& second) { return first + "& " + second; }

std::string shell_echo_if_file(const std::string& name, const std::string& text) {
    return "if exist \"%" + name + "%\" echo " + text;
}

std::string shell_variable(const std::string& name) { return "%" + name + "%"; }

// Wine's ntdll exports wine_get_version; Windows' does not.
bool running_under_wine() {
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}
#else
void set_env(const std::string& name, const std::string& value) { ::setenv(name.c_str(), value.c_str(), 1); }
void unset_env(const std::string& name) { ::unsetenv(name.c_str()); }

std::string shell_exit(int code, const std::string& message) {
    const std::string exit = "exit " + std::to_string(code);
    return message.empty() ? exit : "echo '" + message + "' >&2; " + exit;
}

std::string shell_append(const std::string& text, const std::string& file) {
    return "echo " + text + " >> '" + file + "'";
}

std::string shell_and_then(const std::string& first, const std::string& second) { return first + "; " + second; }

std::string shell_echo_if_file(const std::string& name, const std::string& text) {
    return "test -f \"$" + name + "\" && echo " + text;
}

std::string shell_variable(const std::string& name) { return "$" + name; }

bool running_under_wine() { return false; }
#endif

std::map<std::string, std::string> temp_dir_env(const std::filesystem::path& dir) {
    return {{"TMPDIR", dir.string()}, {"TMP", dir.string()}};
}

std::string unix_newlines(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

}  // namespace soniabk::test
