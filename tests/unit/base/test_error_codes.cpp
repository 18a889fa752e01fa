#include "base/error.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace soniabk;

TEST_CASE("error_codes: every registered code has a distinct name") {
    std::set<std::string_view> names;
    for (ErrorCode code : all_error_codes()) names.insert(to_string(code));
    CHECK(names.size() == all_error_codes().size());
    CHECK(names.contains("disk_full"));
    CHECK(runtime_error(ErrorCode::locked, "x").code() == "locked");
}

TEST_CASE("error_codes: docs/JSON.md documents every code") {
    std::ifstream in(std::string(SONIABK_SOURCE_DIR) + "/docs/JSON.md");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    for (ErrorCode code : all_error_codes()) {
        INFO("code " << to_string(code));
        CHECK(text.str().find("`" + std::string(to_string(code)) + "`") != std::string::npos);
    }
}
