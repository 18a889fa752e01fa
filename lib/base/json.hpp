// The JSON type of every document soniabk writes: keys keep the order they are written in.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <type_traits>

namespace soniabk {
using Json = nlohmann::ordered_json;

// The field `key` of `j` when it is there with the type T asks for, else `fallback`: files soniabk reads back
// (journal lines, drill records) may be hand-edited, and a wrong type must not escape as a library exception.
template <class T>
T field_or(const Json& j, const std::string& key, T fallback) {
    if (!j.is_object()) return fallback;
    const auto it = j.find(key);
    if (it == j.end()) return fallback;
    if constexpr (std::is_same_v<T, std::string>) {
        return it->is_string() ? it->template get<std::string>() : fallback;
    } else if constexpr (std::is_same_v<T, bool>) {
        return it->is_boolean() ? it->template get<bool>() : fallback;
    } else if constexpr (std::is_arithmetic_v<T>) {
        return it->is_number() ? it->template get<T>() : fallback;
    } else {
        return it->is_object() ? Json(*it) : fallback;
    }
}

}  // namespace soniabk
