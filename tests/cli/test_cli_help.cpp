// soniabk help: every command's manual page built into the binary, the text `man` shows, on every platform.
#include "process.hpp"
#include "portable.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>
#include <sstream>

using namespace soniabk::test;

namespace {

const std::filesystem::path manual_dir = SONIABK_MANUAL_DIR;

// The commands soniabk --help lists.
std::vector<std::string> root_commands() {
    const auto r = run_soniabk({"--help"}, {{{"SONIABK_CONFIG", ""}}, {}, ""});
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> commands;
    bool listing = false;
    std::istringstream in(r.out);
    static const std::regex command(R"(^  ([a-z][a-z0-9-]*)\s)");
    for (std::string line; std::getline(in, line);) {
        if (line == "Subcommands:") listing = true;
        std::smatch m;
        if (listing && std::regex_search(line, m, command)) commands.push_back(m[1]);
    }
    return commands;
}

}  // namespace

TEST_CASE("cli help: every command prints its manual page, the text rendered from man/ at build time") {
    const auto commands = root_commands();
    REQUIRE(commands.size() >= 20);
    for (const auto& command : commands) {
        INFO(command);
        const auto r = run_soniabk({"help", command});
        REQUIRE(r.exit_code == 0);
        CHECK(r.err.empty());
        CHECK(r.out == read_text(manual_dir / ("soniabk-" + command + ".txt")));
        CHECK(std::regex_search(r.out, std::regex("NAME\n +soniabk-" + command + " +- ")));
    }
    const auto overview = run_soniabk({"help"});
    REQUIRE(overview.exit_code == 0);
    CHECK(overview.out == read_text(manual_dir / "soniabk.txt"));
    CHECK(has(overview.out, "SONIABK(1)"));
}

TEST_CASE("cli help: the text is what man shows: groff's rendering of the page, byte for byte") {
    SONIABK_SKIP_ON_WINDOWS("groff is not there; the previous test compares with the text groff rendered at build time");
    for (const char* command : {"backup", "restore", "help"}) {
        INFO(command);
        const auto page = std::filesystem::path(SONIABK_SOURCE_DIR) / "man" / (std::string("soniabk-") + command + ".1");
        const auto groff = run_process({"/usr/bin/groff", "-man", "-Tascii", "-P-cbou", page.string()});
        REQUIRE(groff.exit_code == 0);
        CHECK(run_soniabk({"help", command}).out == groff.out);
    }
}

TEST_CASE("cli help: a subcommand shows its command's page, and --json carries the text") {
    const auto r = run_soniabk({"help", "restore", "state"});
    REQUIRE(r.exit_code == 0);
    CHECK(has(r.out, "SONIABK-RESTORE(1)"));
    const auto json = run_soniabk({"--json", "help", "show"});
    REQUIRE(json.exit_code == 0);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["ok"] == true);
    CHECK(doc["page"] == "soniabk-show");
    CHECK(doc["text"] == run_soniabk({"help", "show"}).out);
}

TEST_CASE("cli help: a mistyped command is refused with the nearest real one") {
    const auto r = run_soniabk({"help", "restroe"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(has(r.err, "no command 'restroe' to show the manual of; did you mean 'restore'?"));
}
