#include "cli.hpp"

#include "commands.hpp"
#include "clock.hpp"
#include "error.hpp"
#include "sqlite.hpp"
#include "version.hpp"

#include <fmt/format.h>
#include <openssl/opensslv.h>

#include <algorithm>
#include <iostream>

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

}  // namespace

CLI::Option* add_duration_option(CLI::App& app, const std::string& name, std::chrono::milliseconds& target,
                                 const std::string& description) {
    return app
        .add_option_function<std::string>(
            name, [&target, name](const std::string& text) { target = to_duration(name, text); }, description)
        ->type_name("DURATION")
        ->default_str(format_duration(target));
}

CLI::Option* add_duration_option(CLI::App& app, const std::string& name,
                                 std::optional<std::chrono::milliseconds>& target, const std::string& description) {
    return app
        .add_option_function<std::string>(
            name, [&target, name](const std::string& text) { target = to_duration(name, text); }, description)
        ->type_name("DURATION");
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "did you mean": the nearest subcommand of `parent` within a few edits of `typed`.
std::string suggestion(const CLI::App& parent, const std::string& typed) {
    std::string best;
    std::size_t best_distance = 3;
    for (const CLI::App* sub : parent.get_subcommands([](const CLI::App*) { return true; })) {
        const std::size_t d = edit_distance(typed, sub->get_name());
        if (d < best_distance || (sub->get_name().starts_with(typed) && best.empty())) {
            best_distance = std::min(d, best_distance);
            best = sub->get_name();
        }
    }
    return best;
}

std::string version_text() {
    return fmt::format("soniabk {}\nSQLite {}\n{}\n", tool_version, sqlite_library_version(), OPENSSL_VERSION_TEXT);
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

// The deepest subcommand the user chose (e.g. `db` under `backup`).
const CLI::App* chosen_command(const CLI::App& app) {
    const CLI::App* current = &app;
    for (;;) {
        const auto subs = current->get_subcommands();
        if (subs.empty()) return current;
        current = subs.front();
    }
}

// The first word of the command line that is neither an option nor an option's value.
std::string first_word(const CLI::App& app, int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (!arg.starts_with('-')) return arg;
        const CLI::Option* option = arg.find('=') == std::string::npos ? app.get_option_no_throw(arg) : nullptr;
        if (option != nullptr && option->get_type_size() > 0) ++i;  // skip the option's value
    }
    return {};
}

// A mistyped command gets one line naming it and the nearest real one, before CLI11's generic message.
std::optional<std::string> unknown_command_message(const CLI::App& app, int argc, char** argv) {
    const std::string word = first_word(app, argc, argv);
    const auto named = [&](const CLI::App* sub) { return sub->check_name(word); };
    if (word.empty() || !app.get_subcommands(named).empty()) return std::nullopt;
    std::string message = fmt::format("'{}' is not a soniabk command", word);
    if (const std::string near = suggestion(app, word); !near.empty()) message += fmt::format("; did you mean '{}'?", near);
    return message + " (see 'soniabk --help')";
}

}  // namespace

int run(int argc, char** argv) {
    const bool json_requested = std::any_of(argv + 1, argv + argc, [](const char* a) { return std::string(a) == "--json"; });
    CLI::App app{"soniabk: verified backups, atomic restores and recovery drills for SONIA's state", "soniabk"};
    app.fallthrough();
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Show help for every command");
    GlobalOptions global;
    app.add_flag_callback(
        "--version",
        [] {
            std::cout << version_text();
            throw CLI::Success();
        },
        "Print the versions of soniabk, SQLite and OpenSSL");
    app.add_flag("--json", global.json, "Print exactly one JSON document on stdout");
    app.add_option("--repo", global.repo, "Backup repository directory")->envname("SONIABK_REPO");
    app.add_option("--db", global.db, "The SONIA memory database (memory.db)")->envname("SONIABK_DB");
    app.add_flag("-q,--quiet", global.quiet, "Print nothing but errors");
    app.add_flag("-v,--verbose", global.verbose, "Say more (repeatable)");

    CommandTable table;
    register_backup(app, table);
    register_list(app, table);
    register_verify(app, table);
    register_restore(app, table);
    register_drill(app, table);

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --help-all, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        const std::string message = unknown_command_message(app, argc, argv).value_or(e.what());
        return report_error(json_requested, "usage", message, "", static_cast<int>(ErrorCategory::usage));
    }

    const Runner* runner = table.find(chosen_command(app));
    if (runner == nullptr) {
        return report_error(global.json, "usage", "choose a command (see 'soniabk --help')", "",
                            static_cast<int>(ErrorCategory::usage));
    }
    try {
        Outcome outcome = (*runner)(global);
        if (global.json) {
            std::cout << outcome.document.dump(2) << '\n';
        } else if (!global.quiet && outcome.print_human) {
            outcome.print_human();
        }
        return outcome.exit_code;
    } catch (const Error& e) {
        return report_error(global.json, e.code(), e.what(), e.path().string(), e.exit_code());
    } catch (const std::exception& e) {
        return report_error(global.json, "internal", fmt::format("internal error: {}", e.what()), "",
                            static_cast<int>(ErrorCategory::runtime));
    }
}

}  // namespace soniabk::cli
