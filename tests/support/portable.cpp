#include "portable.hpp"

#include <algorithm>
#include <cstdlib>

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

std::string shell_and_then(const std::string& first, const std::string& second) { return first + " & " + second; }

std::string shell_variable(const std::string& name) { return "%" + name + "%"; }
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

std::string shell_variable(const std::string& name) { return "$" + name; }
#endif

std::string unix_newlines(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

}  // namespace soniabk::test
