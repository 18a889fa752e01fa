#include "cli.hpp"

#include "cli_tree.hpp"
#include "commands.hpp"
#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "platform/program.hpp"
#include "platform/signals.hpp"
#include "net/trace.hpp"
#include "repo/location.hpp"
#include "sqlite/library.hpp"
#include "sqlite/trace.hpp"
#include "usage_hint.hpp"
#include "version_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <optional>

namespace soniabk::cli {

const std::filesystem::path& GlobalOptions::require_repo() const {
    if (repo.empty()) throw usage_error("no repository: pass --repo DIR or set SONIABK_REPO");
    return repo;
}

const std::filesystem::path& GlobalOptions::require_db() const {
    if (db.empty()) throw usage_error("no database: pass --db PATH or set SONIABK_DB");
    return db;
}

void CommandTable::add(CLI::App* command, Runner runner) { entries.emplace_back(command, std::move(runner)); }

const Runner* CommandTable::find(const CLI::App* command) const {
    for (const auto& [app, runner] : entries) {
        if (app == command) return &runner;
    }
    return nullptr;
}

namespace {

std::chrono::milliseconds to_duration(const std::string& name, const std::string& text) {
    const auto parsed = parse_duration(text);
    if (!parsed) {
        throw CLI::ValidationError(name, fmt::format("'{}' is not a duration (write 500ms, 90s, 15m, 24h, 7d or 1h30m)", text));
    }
    return *parsed;
}

// The same rule as a validator, so config files are checked before any value is used (with their line).
CLI::Validator duration_check() {
    return CLI::Validator(
        [](std::string& text) {
            return parse_duration(text) ? std::string()
                                        : fmt::format("'{}' is not a duration (write 500ms, 90s, 15m, 24h, 7d or 1h30m)", text);
        },
        "", "duration");
}

}  // namespace

CLI::Validator count_check() {
    return CLI::Validator(
        [](std::string& text) {
            int value = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            const bool whole = ec == std::errc() && end == text.data() + text.size() && !text.empty();
            return whole && value >= 0 ? std::string() : fmt::format("'{}' is not an integer >= 0", text);
        },
        "", "COUNT");
}

CLI::Option* add_duration_option(CLI::App& app, const std::string& name, std::chrono::milliseconds& target,
                                 const std::string& description) {
    return app
        .add_option_function<std::string>(
            name, [&target, name](const std::string& text) { target = to_duration(name, text); }, description)
        ->type_name("DURATION")
        ->check(duration_check())
        ->default_str(format_duration(target));
}

CLI::Option* add_duration_option(CLI::App& app, const std::string& name,
                                 std::optional<std::chrono::milliseconds>& target, const std::string& description) {
    return app
        .add_option_function<std::string>(
            name, [&target, name](const std::string& text) { target = to_duration(name, text); }, description)
        ->type_name("DURATION")
        ->check(duration_check());
}

namespace {

// Commands that write: a signal makes them stop at their next check, remove their temps and journal it;
// any other command is simply ended by it.
bool stops_cleanly_on_interrupt(const CLI::App& command) {
    const CLI::App* parent = command.get_parent();
    const std::string path = parent != nullptr && parent->get_parent() != nullptr
                                 ? parent->get_name() + " " + command.get_name()
                                 : command.get_name();
    for (const char* writer : {"init", "backup db", "backup state", "backup all", "prune", "forget", "purge-archived",
                               "recover memories", "restore", "restore state", "drill", "copy", "replicate"}) {
        if (path == writer) return true;
    }
    return false;
}

int report_error(bool json, const std::string& code, const std::string& message, const std::string& path,
                 int exit_code) {
    if (json) {
        Json error = {{"code", code}, {"message", message}};
        if (!path.empty()) error["path"] = path;
        std::cout << Json{{"ok", false}, {"error", error}}.dump(2) << '\n';
    }
    std::cerr << "soniabk: " << message << '\n';
    return exit_code;
}

void add_global_options(CLI::App& app, GlobalOptions& global) {
    app.add_flag_callback(
        "--version", [] { throw CLI::Success(); },  // printed once parsing knows whether --json was asked
        "Print the versions of soniabk, SQLite, OpenSSL and zstd");
    app.add_flag("--json", global.json, "Print exactly one JSON document on stdout");
    app.add_option("--repo", global.repo, "Backup repository: a directory or s3://BUCKET/PREFIX")->envname("SONIABK_REPO")->type_name("DIR");
    app.add_option("--db", global.db, "The SONIA memory database (memory.db)")->envname("SONIABK_DB")->type_name("FILE");
    app.add_flag("-q,--quiet", global.quiet, "Print nothing but errors");
    app.add_flag("-v,--verbose", global.verbose, "Say more (repeatable)");
    app.add_flag("--no-progress", global.progress_disabled, "Never draw progress on stderr");
}

// A config-file problem names the file; CLI11 only says the file was not readable.
std::string config_file_message(const CLI::App& app, const CLI::FileError& e) {
    const CLI::Option* config = app.get_config_ptr();
    if (config == nullptr || config->count() == 0) return e.what();
    return fmt::format("{}: config file named by --config does not exist or is not readable", config->as<std::string>());
}

int run_with_utf8_arguments(int argc, char** argv) {
    const bool json_requested = std::any_of(argv + 1, argv + argc, [](const char* a) { return std::string(a) == "--json"; });
    try {
        require_supported_sqlite();  // before any command: none may run on a SQLite with a known corruption bug
    } catch (const Error& e) {
        return report_error(json_requested, e.code(), e.what(), "", e.exit_code());
    }
    CLI::App app{"soniabk: verified backups, atomic restores and recovery drills for SONIA's state", "soniabk"};
    app.fallthrough();
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Show help for every command");
    GlobalOptions global;
    add_global_options(app, global);

    CommandTable table;
    ConfigSupport config;
    register_backup(app, table);
    register_list(app, table);
    register_show(app, table);
    register_init(app, table);  // after list: "lsit" is nearer list than init by the same distance
    register_verify(app, table);
    register_restore(app, table);
    register_drill(app, table);
    register_prune(app, table);
    register_forget(app, table);
    register_status(app, table);
    register_unlock(app, table);
    register_replicate(app, table);
    register_stats(app, table);
    register_purge_archived(app, table);
    register_recover(app, table);
    register_diff(app, table);
    register_find(app, table);
    register_config(app, table, config);
    register_completion(app, table, config);
    register_help(app, table, config);
    register_schedule(app, table, config);
    register_keygen(app, table);
    register_decrypt(app, table);
    register_export(app, table);
    register_copy(app, table);
    register_restore_state(app, table);  // after every other registration: it may extend their `restore`
    config.install(app, argc, argv);  // last: it checks config keys against every registered option

    try {
        app.parse(argc, argv);
        config.check_after_parse();
    } catch (const CLI::Success& e) {  // --help, --help-all, --version
        if (app.get_option("--version")->count() > 0) {
            std::cout << (json_requested ? version_json().dump(2) + "\n" : version_text());
            return 0;
        }
        return app.exit(e);
    } catch (const CLI::FileError& e) {
        return report_error(json_requested, "config", config_file_message(app, e), "", static_cast<int>(ErrorCategory::usage));
    } catch (const CLI::ParseError& e) {
        const std::string message = usage_message(app, e, argc, argv);
        return report_error(json_requested, "usage", message, "", static_cast<int>(ErrorCategory::usage));
    } catch (const Error& e) {  // the config file's own errors, with file and line
        return report_error(json_requested, e.code(), e.what(), e.path().string(), e.exit_code());
    }

    use_s3_settings(config.s3().settings);
    // -vv: SQLite's statements and HTTP requests reach the trace from wherever lib/ makes them.
    trace_sqlite(global.trace());
    trace_http(global.trace());
    const Runner* runner = table.find(&chosen_command(app));
    if (runner == nullptr) {
        return report_error(global.json, "usage", "choose a command (see 'soniabk --help')", "",
                            static_cast<int>(ErrorCategory::usage));
    }
    std::optional<platform::InterruptHandlers> handlers;
    if (stops_cleanly_on_interrupt(chosen_command(app))) handlers.emplace();
    const auto interrupted_exit = [](int exit_code) {
        const interrupt::Request r = interrupt::pending();
        return r != interrupt::Request::none && exit_code != 0 ? interrupt::exit_code(r) : exit_code;
    };
    try {
        Outcome outcome = (*runner)(global);
        if (global.json) {
            std::cout << outcome.document.dump(2) << '\n';
        } else if (!global.quiet && outcome.print_human) {
            outcome.print_human();
        }
        return interrupted_exit(outcome.exit_code);
    } catch (const Error& e) {
        return report_error(global.json, e.code(), e.what(), e.path().string(), interrupted_exit(e.exit_code()));
    } catch (const std::exception& e) {
        return report_error(global.json, "internal", fmt::format("internal error: {}", e.what()), "",
                            static_cast<int>(ErrorCategory::runtime));
    }
}

}  // namespace

int run(int argc, char** argv) {
    platform::use_plain_standard_streams();  // the same bytes (JSON above all) on every platform
    std::vector<std::string> arguments = platform::utf8_arguments(argc, argv);
    std::vector<char*> pointers;
    for (std::string& argument : arguments) pointers.push_back(argument.data());
    pointers.push_back(nullptr);
    return run_with_utf8_arguments(static_cast<int>(arguments.size()), pointers.data());
}

}  // namespace soniabk::cli
