// Shared by the platform/*_win32.cpp files (and the tests' process support) only: a child's environment block.
#pragma once

#include <cwchar>
#include <map>
#include <string>
#include <utility>
#include <vector>
#include <windows.h>

namespace soniabk::platform::detail {

inline std::wstring widen_utf8(const std::string& text) {
    const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), wide.data(), size);
    return wide;
}

// This process's environment with `changes` set, as the sorted block CreateProcessW takes
// (CREATE_UNICODE_ENVIRONMENT): the child gets them, this process's own environment stays as it is.
inline std::wstring environment_block(const std::vector<std::pair<std::string, std::string>>& changes) {
    std::map<std::wstring, std::wstring> variables;
    wchar_t* block = ::GetEnvironmentStringsW();
    for (const wchar_t* entry = block; *entry != L'\0'; entry += std::wcslen(entry) + 1) {
        const std::wstring text(entry);
        const std::size_t equals = text.find(L'=', 1);  // "=C:=C:\dir" entries start with '='
        if (equals != std::wstring::npos) variables[text.substr(0, equals)] = text.substr(equals + 1);
    }
    ::FreeEnvironmentStringsW(block);
    for (const auto& [key, value] : changes) variables[widen_utf8(key)] = widen_utf8(value);
    std::wstring result;
    for (const auto& [key, value] : variables) result += key + L"=" + value + L'\0';
    result += L'\0';
    return result;
}

}  // namespace soniabk::platform::detail
