// Processes: this one's id and path, whether another exists or has a file open, operators' shell commands,
// and the owner and mode a service's file needs.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace soniabk::platform {

namespace fs = std::filesystem;

int current_process_id();
// False only when no process `pid` exists (a process of another user counts as existing).
bool process_exists(int pid);
// This machine's name and the name of the user the process runs as, for lock holders; empty when unknown.
std::string host_name();
std::string user_name();

// The absolute path of the running program (for scheduler entries); empty when not knowable.
fs::path executable_path();
// The other processes that hold `path` open (Linux: /proc/*/fd; empty where not knowable).
std::optional<std::string> process_holding_open(const fs::path& path);

struct CommandResult {
    int exit_code = -1;  // -1 when killed (by a signal or for timing out)
    bool timed_out = false;
    std::string out;  // the first 64 KiB of each stream
    std::string err;
};

using EnvironmentAdditions = std::vector<std::pair<std::string, std::string>>;

// Runs an operator's command through the system shell (/bin/sh -c; cmd /c on Windows) with `env` added,
// stdin empty and output captured; killed with its process group when it outlives `timeout`. Returns once
// the shell exits, even if something it started in the background keeps the output open.
CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout,
                                const EnvironmentAdditions& env = {});

// Gives `to` the owner, group and permission bits of `from`, so a restored file can take the old one's place
// for the service that uses it; an ownership change this process may not make (not root) is skipped.
void copy_owner_and_mode(const fs::path& from, const fs::path& to);

}  // namespace soniabk::platform
