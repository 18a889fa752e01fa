// Words counted in messages, so every command writes "1 backup" and "2 backups" the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace soniabk {

// "1 backup", "2 backups", "0 backups"; an irregular plural is given: count_of(n, "memory", "memories").
std::string count_of(std::size_t n, std::string_view noun, std::string_view plural = {});

}  // namespace soniabk
