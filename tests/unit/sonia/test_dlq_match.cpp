#include "sonia/dlq_match.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

DlqEntry dlq_entry(std::optional<std::string> dlq_id, std::optional<std::string> id) { return {std::move(dlq_id), std::move(id), {}}; }

}  // namespace

TEST_CASE("dlq match: dlq_id when every entry has one, else id, else canonical JSON") {
    CHECK(choose_dlq_match({dlq_entry("a", "x"), dlq_entry("b", std::nullopt)}) == DlqMatch::dlq_id);
    CHECK(choose_dlq_match({dlq_entry("a", "x"), dlq_entry(std::nullopt, "y")}) == DlqMatch::id);
    CHECK(choose_dlq_match({dlq_entry("a", std::nullopt), dlq_entry(std::nullopt, "y")}) == DlqMatch::canonical_json);
    CHECK(dlq_labels({dlq_entry("a", "x"), dlq_entry("b", "y")}, DlqMatch::id) == std::vector<std::string>{"x", "y"});
    CHECK(dlq_labels({dlq_entry("a", "x"), dlq_entry("b", "y")}, DlqMatch::canonical_json) == std::vector<std::string>{"dlq[0]", "dlq[1]"});
    CHECK(to_string(DlqMatch::canonical_json) == "canonical_json");
}

TEST_CASE("dlq match: canonical JSON ignores key order, spacing and escapes") {
    CHECK(canonical_json(R"({ "b": [1, {"y": 2, "x": 1}], "a": "\u0041" })") == R"({"a":"A","b":[1,{"x":1,"y":2}]})");
    CHECK(canonical_json(R"({"a":1})") != canonical_json(R"({"a":1.5})"));
    const Json listed = Json::parse(R"({"dlq_id": "d", "id": "i", "z": 1})");
    CHECK(dlq_key(listed, DlqMatch::dlq_id) == "d");
    CHECK(dlq_key(listed, DlqMatch::id) == "i");
    CHECK(dlq_key(Json::parse(R"({"z": 1})"), DlqMatch::id).empty());
}

TEST_CASE("dlq match: keys of a snapshot's entries are read from their byte ranges") {
    test::TempDir dir;
    const std::string text = R"({"dlq":[{"b":1,"a":2}, {"a":3}]})";
    test::write_text(dir / "snap.json", text);
    const std::vector<DlqEntry> entries = {{std::nullopt, std::nullopt, {8, 21}}, {std::nullopt, std::nullopt, {23, 30}}};
    const auto keys = dlq_keys(dir / "snap.json", entries, DlqMatch::canonical_json);
    REQUIRE(keys.size() == 2);
    CHECK(keys[0] == dlq_key(Json::parse(R"({"a":2,"b":1})"), DlqMatch::canonical_json));
    CHECK(keys[1] == dlq_key(Json::parse(R"({"a":3})"), DlqMatch::canonical_json));
}
