// Man pages: each renders without a single groff warning, and every command and option has one
// (-P-cbou: plain text, so the section names can be found in the output).
#include "process.hpp"
#include "temp_dir.hpp"
#include "portable.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <sstream>

using namespace soniabk::test;

namespace {

const std::filesystem::path man_dir = std::filesystem::path(SONIABK_SOURCE_DIR) / "man";

// The "Subcommands:" and option names of one command's --help.
struct HelpPage {
    std::vector<std::string> subcommands;
    std::set<std::string> options;
};

HelpPage help_of(const std::vector<std::string>& path) {
    auto args = path;
    args.push_back("--help");
    const auto r = run_soniabk(args, {{{"SONIABK_CONFIG", ""}}, {}, ""});
    REQUIRE(r.exit_code == 0);
    HelpPage page;
    bool in_subcommands = false;
    std::istringstream in(r.out);
    static const std::regex option(R"(^  (?:-\w,)?--([a-z0-9-]+))");
    static const std::regex subcommand(R"(^  ([a-z][a-z0-9-]*)\s)");
    for (std::string line; std::getline(in, line);) {
        if (line == "Subcommands:") in_subcommands = true;
        std::smatch m;
        if (in_subcommands && std::regex_search(line, m, subcommand)) page.subcommands.push_back(m[1]);
        else if (!in_subcommands && std::regex_search(line, m, option)) page.options.insert(m[1]);
    }
    return page;
}

// Every option of a command and of the commands below it, global ones left out.
void collect_options(const std::vector<std::string>& path, const std::set<std::string>& global, std::set<std::string>& out) {
    const HelpPage page = help_of(path);
    for (const auto& o : page.options) {
        if (global.count(o) == 0) out.insert(o);
    }
    for (const auto& sub : page.subcommands) {
        auto below = path;
        below.push_back(sub);
        collect_options(below, global, out);
    }
}

}  // namespace

TEST_CASE("cli man: every page renders with groff -man -ww without warnings") {
    SONIABK_SKIP_ON_WINDOWS("groff is not there; `soniabk help COMMAND` prints the same text");
    int pages = 0;
    for (const auto& entry : std::filesystem::directory_iterator(man_dir)) {
        if (entry.path().extension() != ".1") continue;
        ++pages;
        INFO(entry.path().filename().string());
        const auto r = run_process({"/usr/bin/groff", "-man", "-ww", "-Tutf8", "-P-cbou", entry.path().string()});
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        for (const char* section : {"NAME", "SYNOPSIS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"}) {
            CHECK(r.out.find(section) != std::string::npos);
        }
    }
    CHECK(pages >= 15);
}

TEST_CASE("cli man: every command has a page that documents each of its options") {
    const HelpPage root = help_of({});
    REQUIRE(!root.subcommands.empty());
    for (const auto& command : root.subcommands) {
        const auto page = man_dir / ("soniabk-" + command + ".1");
        INFO(page.filename().string());
        REQUIRE(std::filesystem::exists(page));
        const std::string text = read_text(page);
        std::set<std::string> options;
        collect_options({command}, root.options, options);
        for (const auto& o : options) {
            std::string escaped;
            for (char c : "--" + o) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
            INFO("--" << o);
            CHECK(text.find(escaped) != std::string::npos);
        }
    }
    const std::string overview = read_text(man_dir / "soniabk.1");
    for (const auto& o : root.options) {
        INFO("--" << o);
        std::string escaped;
        for (char c : "--" + o) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
        CHECK(overview.find(escaped) != std::string::npos);
    }
}
