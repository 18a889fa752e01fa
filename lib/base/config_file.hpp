// soniabk's TOML config file: where it is found and its keys flattened into line-numbered entries.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace soniabk {

namespace fs = std::filesystem;

enum class ConfigValueType { string, integer, floating, boolean, array, table };

std::string_view to_string(ConfigValueType type);

// One key of the file. Tables are entries too, so that an empty `[prnue]` table is still checked.
struct ConfigEntry {
    std::vector<std::string> table;  // the enclosing table's path, e.g. {"backup", "db"}; empty at the top
    std::string key;
    ConfigValueType type = ConfigValueType::string;
    ConfigValueType element_type = ConfigValueType::string;  // arrays: the type of every element
    std::vector<std::string> values;  // scalars: one text; arrays: one per element; tables: none
    int line = 0;
};

struct ConfigFile {
    fs::path path;
    std::vector<ConfigEntry> entries;  // in file order
};

// Parses TOML from `in`; syntax errors, mixed arrays, dates and arrays of tables are errors naming
// `path` and the line (code "config", exit 2).
ConfigFile parse_config(std::istream& in, const fs::path& path);

// An error in the config file: "FILE:LINE: MESSAGE", exit 2.
Error config_error(const fs::path& file, int line, const std::string& message);

// Where the config file comes from when --config is not given.
struct ConfigLocation {
    fs::path path;
    std::string origin;     // "SONIABK_CONFIG", "working directory" or "system"
    bool required = false;  // true when named by SONIABK_CONFIG: a missing file is then an error
};

// SONIABK_CONFIG, else ./soniabk.toml, else the system file; nothing when none applies.
std::optional<ConfigLocation> default_config_location();

// /etc/soniabk/soniabk.toml (Windows: %ProgramData%\soniabk\soniabk.toml).
fs::path system_config_path();

}  // namespace soniabk
