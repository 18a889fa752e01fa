#include "io/atomic_file.hpp"
#include "base/config_file.hpp"
#include "base/error.hpp"
#include "portable.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

using namespace soniabk;

namespace {

ConfigFile parse(const std::string& text) {
    std::istringstream in(text);
    return parse_config(in, "test.toml");
}

std::string config_error(const std::string& text) {
    try {
        parse(text);
    } catch (const Error& e) {
        CHECK(e.exit_code() == 2);
        CHECK(e.code() == "config");
        return e.what();
    }
    FAIL("no error for: " << text);
    return {};
}

}  // namespace

TEST_CASE("config_file: TOML flattened into entries in file order, with lines") {
    const ConfigFile file = parse("db = \"/var/lib/memory.db\"\n\n[backup.db]\nlabel = 'x'\ncheck = \"full\"\n"
                                  "[restore]\nhealth-url = [\"http://a\", \"http://b\"]\nrto = 60\nforce = false\n");
    REQUIRE(file.entries.size() == 9);
    const auto& db = file.entries[0];
    CHECK(db.table.empty());
    CHECK(db.key == "db");
    CHECK(db.type == ConfigValueType::string);
    CHECK(db.values == std::vector<std::string>{"/var/lib/memory.db"});
    CHECK(db.line == 1);
    CHECK(file.entries[1].type == ConfigValueType::table);  // [backup.db] declares backup, then db
    CHECK(file.entries[1].key == "backup");
    CHECK(file.entries[2].key == "db");
    CHECK(file.entries[2].table == std::vector<std::string>{"backup"});
    CHECK(file.entries[2].line == 3);
    CHECK(file.entries[3].table == std::vector<std::string>{"backup", "db"});
    CHECK(file.entries[3].line == 4);
    const auto& urls = file.entries[6];
    CHECK(urls.type == ConfigValueType::array);
    CHECK(urls.element_type == ConfigValueType::string);
    CHECK(urls.values == std::vector<std::string>{"http://a", "http://b"});
    CHECK(file.entries[7].type == ConfigValueType::integer);
    CHECK(file.entries[7].values == std::vector<std::string>{"60"});
}

TEST_CASE("config_file: what TOML allows but soniabk cannot use is an error with its line") {
    CHECK(config_error("a = 1\nb = [1, \"x\"]\n") == "test.toml:2: key 'b': array mixes value types");
    CHECK(config_error("a = [[1], [2]]\n").find("test.toml:1:") == 0);
    CHECK(config_error("\nwhen = 2026-11-26T02:00:00Z\n").find("test.toml:2: dates and times") == 0);
    CHECK(config_error("a = 1\na = 2\n").find("test.toml:2: not valid TOML") == 0);
    CHECK(config_error("[[jobs]]\nx = 1\n").find("test.toml:1:") == 0);
}

TEST_CASE("config_file: SONIABK_CONFIG names the file and must then exist") {
    test::set_env("SONIABK_CONFIG", "/somewhere/soniabk.toml");
    const auto location = default_config_location();
    test::unset_env("SONIABK_CONFIG");
    REQUIRE(location);
    CHECK(location->path == "/somewhere/soniabk.toml");
    CHECK(location->origin == "SONIABK_CONFIG");
    CHECK(location->required);
#ifdef _WIN32
    CHECK(system_config_path() == fs::path("C:\\ProgramData\\soniabk\\soniabk.toml"));
#else
    CHECK(system_config_path() == "/etc/soniabk/soniabk.toml");
#endif
}

TEST_CASE("config_file: create_file_atomically never replaces") {
    test::TempDir dir;
    create_file_atomically(dir / "a.toml", "first\n");
    CHECK(test::read_text(dir / "a.toml") == "first\n");
    try {
        create_file_atomically(dir / "a.toml", "second\n");
        FAIL("replaced an existing file");
    } catch (const Error& e) {
        CHECK(e.code() == "exists");
        CHECK(e.exit_code() == 3);
    }
    CHECK(test::read_text(dir / "a.toml") == "first\n");
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no temp left
}
