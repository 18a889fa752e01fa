// The config file on the command line: --config, the TOML reader CLI11 calls, where each value came from.
#pragma once

#include "base/config_file.hpp"
#include "net/s3_config.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace soniabk::cli {

// Where an option's effective value came from.
struct ValueSource {
    std::string kind;  // "flag", "env", "file" or "default"
    std::string env;   // the variable, for "env"
    std::filesystem::path file;
    int line = 0;

    std::string text() const;  // "flag", "env SONIABK_REPO", "soniabk.toml:3", "default"
};

class ConfigSupport {
public:
    ConfigSupport();

    // Adds --config to `root` and has CLI11 read the file through the TOML reader, which checks every
    // key against the command tree. Call after every command is registered.
    void install(CLI::App& root, int argc, char** argv);
    // Commands that must work whatever the file says (completion, config init) never read it.
    void skip_for(const CLI::App* command);
    // After parsing: a file named by SONIABK_CONFIG must exist.
    void check_after_parse() const;

    // The file that was read, if any, and how it was found ("--config", "SONIABK_CONFIG", ...).
    std::optional<std::filesystem::path> loaded_file() const;
    std::string origin() const;
    // How buckets are reached: the file's [s3] table under the AWS_* variables (the environment alone
    // when no file was read).
    S3Config s3() const;
    ValueSource source_of(const CLI::App& command, const CLI::Option& option) const;

    struct State;

private:
    std::shared_ptr<State> state_;
};

// Options that belong on the command line only (actions such as --force, --dry-run, --install).
bool is_command_line_only(const CLI::Option& option);

}  // namespace soniabk::cli
