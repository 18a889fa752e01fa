#include "process.hpp"
#include "temp_dir.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace soniabk;

TEST_CASE("cli keygen: writes an owner-only key, shows no key material, refuses to overwrite") {
    test::TempDir dir;
    const auto key = dir / "backup.key";
    const auto first = test::run_soniabk({"--json", "keygen", key.string()});
    REQUIRE(first.exit_code == 0);
    const auto doc = nlohmann::json::parse(first.out);
    CHECK(doc["ok"] == true);
    CHECK(doc["path"] == key.string());
    CHECK(platform::is_owner_only(key));
    const std::string content = test::read_text(key);
    const std::string hex = content.substr(content.rfind(' ') + 1, 64);
    CHECK(hex.size() == 64);
    CHECK(first.out.find(hex) == std::string::npos);
    CHECK(first.err.find(hex) == std::string::npos);

    const auto again = test::run_soniabk({"keygen", key.string()});
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Catch::Contains("backup.key: already exists"));
    CHECK(test::read_text(key) == content);

    const auto nowhere = test::run_soniabk({"keygen", (dir / "missing-dir" / "k").string()});
    CHECK(nowhere.exit_code == 3);
    CHECK_THAT(nowhere.err, Catch::Contains("missing-dir"));
}
