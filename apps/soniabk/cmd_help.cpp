// soniabk help [COMMAND]: a command's manual page (the overview without one), the same text on every platform.
#include "cli_tree.hpp"
#include "commands.hpp"
#include "manual.hpp"
#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace soniabk::cli {

namespace {

// The page of `command` (a top-level command: `backup db` is documented on soniabk-backup).
ManualPage page_for(const CLI::App& root, const std::string& command) {
    std::vector<std::string> names;
    for (const CLI::App* sub : subcommands_of(root)) names.push_back(sub->get_name());
    if (!command.empty() && std::find(names.begin(), names.end(), command) == names.end()) {
        std::string message = fmt::format("no command '{}' to show the manual of", command);
        if (const std::string near = nearest(command, names); !near.empty()) message += fmt::format("; did you mean '{}'?", near);
        throw usage_error(message);
    }
    const std::string wanted = command.empty() ? "soniabk" : "soniabk-" + command;
    for (const ManualPage& page : manual_pages()) {
        if (page.name == wanted) return page;
    }
    throw Error(ErrorCategory::runtime, ErrorCode::internal, fmt::format("no manual page {} in this build", wanted));
}

}  // namespace

void register_help(CLI::App& app, CommandTable& table, ConfigSupport& config) {
    auto words = std::make_shared<std::vector<std::string>>();
    CLI::App* help = app.add_subcommand("help", "Show the manual of a command (of soniabk without one)");
    help->add_option("COMMAND", *words, "The command, e.g. backup or restore state");
    config.skip_for(help);
    table.add(help, [&app, words](const GlobalOptions&) {
        const ManualPage page = page_for(app, words->empty() ? std::string() : words->front());
        const std::string text(page.text);
        return Outcome{{{"ok", true}, {"page", page.name}, {"text", text}}, [text] { std::cout << text; }};
    });
}

}  // namespace soniabk::cli
