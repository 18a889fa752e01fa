// The soniabk command line: global options, subcommand registration, and the one place errors are caught.
#pragma once

#include <CLI/CLI.hpp>
#include "base/json.hpp"
#include "base/progress.hpp"
#include "base/trace.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <functional>
#include <string>

namespace soniabk::cli {

// Options every command accepts, before or after its name.
struct GlobalOptions {
    bool json = false;
    bool quiet = false;
    int verbose = 0;
    bool progress_disabled = false;  // --no-progress
    std::filesystem::path repo;  // --repo / SONIABK_REPO
    std::filesystem::path db;    // --db / SONIABK_DB

    const std::filesystem::path& require_repo() const;
    const std::filesystem::path& require_db() const;
    // The progress display for long work: a live line on a terminal stderr, otherwise silent.
    Progress& progress() const;
    // -v: steps with their durations on stderr; -vv: also SQLite statements and HTTP requests; -q: nothing.
    Trace& trace() const;
};

// What a command hands back: its JSON document, a human printer, and the exit status.
struct Outcome {
    Json document;
    std::function<void()> print_human;
    int exit_code = 0;
};

using Runner = std::function<Outcome(const GlobalOptions&)>;

// A subcommand registers its options on `command` and returns the runner to call when it is chosen.
struct CommandTable {
    void add(CLI::App* command, Runner runner);
    const Runner* find(const CLI::App* command) const;

    std::vector<std::pair<const CLI::App*, Runner>> entries;
};

// Adds an option written as a duration (500ms, 90s, 15m, 24h, 7d, 1h30m).
CLI::Option* add_duration_option(CLI::App& app, const std::string& name, std::chrono::milliseconds& target,
                                 const std::string& description);
CLI::Option* add_duration_option(CLI::App& app, const std::string& name,
                                 std::optional<std::chrono::milliseconds>& target, const std::string& description);

// Accepts what reads whole as an integer >= 0, and says so otherwise (command line and config file alike).
CLI::Validator count_check();

int run(int argc, char** argv);

}  // namespace soniabk::cli
