#include "base/error.hpp"
#include "sonia/gateway.hpp"
#include "io/json_stream.hpp"
#include "repo/manifest.hpp"
#include "sonia/state.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace soniabk;

namespace {

// The documented format, with extra fields everywhere: the gateway may grow.
Json sample_snapshot() {
    return Json::parse(R"({
      "backup_id": "bkp_abc123", "timestamp": "2026-11-26T00:30:00Z",
      "sessions": [{"session_id": "sess-1", "user_id": "u1@example.com", "created_at": "2026-11-26T00:00:00Z",
                    "last_activity": "2026-11-26T00:20:00.123+01:00", "extra": {"session_id": 5}},
                   {"session_id": "sess-2", "user_id": "u2", "created_at": "2026-11-26T00:00:00Z",
                    "last_activity": "2026-11-26T00:20:00Z"}],
      "confirmations": [{"confirmation_id": "conf-1", "session_id": "sess-1", "capability": "file.write",
                         "args": {"path": "S:\\test.txt", "content": "hello"}, "created_at": "2026-11-26T00:22:00Z",
                         "ttl": 120, "note": "extra"}],
      "dlq": [{"dlq_id": "dlq-1", "payload": {"text": "caf\u00e9 \"quoted\" \\ \n"}}, {"\u0069d": "dlq-\u0032", "attempts": 3},
              {"payload": [1, 2.5e3, -0.5, true, false, null]}],
      "breakers": [{"name": "upstream-1", "state": "closed"}, {}],
      "extra": {"ignored": [1, 2, 3]}
    })");
}

StateSummary validate_in_chunks(const std::string& text, std::size_t chunk, DlqEntries dlq = DlqEntries::collect) {
    StateValidator validator("snap.json", dlq);
    for (std::size_t i = 0; i < text.size(); i += chunk) validator.feed(text.data() + i, std::min(chunk, text.size() - i));
    return validator.finish();
}

// The error a snapshot text is refused with ("" when accepted).
std::string refusal(const std::string& text) {
    try {
        validate_in_chunks(text, 7);
    } catch (const Error& e) {
        CHECK(e.exit_code() == 3);
        CHECK_THAT(e.what(), Catch::StartsWith("snap.json: "));
        return e.what();
    }
    return "";
}

std::string with(const std::string& pointer, const Json& value) {
    Json j = sample_snapshot();
    j[Json::json_pointer(pointer)] = value;
    return j.dump();
}

std::string without(const std::string& key) {
    Json j = sample_snapshot();
    j.erase(key);
    return j.dump();
}

}  // namespace

TEST_CASE("state: a valid snapshot is counted the same in any chunking") {
    const std::string text = sample_snapshot().dump(2);
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}, text.size()}) {
        const StateSummary s = validate_in_chunks(text, chunk);
        CHECK(s.backup_id == "bkp_abc123");
        CHECK(s.timestamp == "2026-11-26T00:30:00Z");
        CHECK(s.counts.describe() == "sessions 2, confirmations 1, dlq 3, breakers 2");
        REQUIRE(s.dlq.size() == 3);
        CHECK(s.dlq[0].dlq_id == "dlq-1");
        CHECK(s.dlq[1].id == "dlq-2");  // escaped key and value decoded
        CHECK(!s.dlq[2].dlq_id);
        CHECK(!s.dlq[2].id);
        CHECK(Json::parse(text.substr(s.dlq[2].bytes.begin, s.dlq[2].bytes.end - s.dlq[2].bytes.begin)) ==
              sample_snapshot()["dlq"][2]);
    }
    SECTION("without DlqEntries::collect nothing is recorded") {
        CHECK(validate_in_chunks(text, 4, DlqEntries::skip).dlq.empty());
    }
    SECTION("the byte ranges hold exactly each array") {
        const StateSummary s = validate_in_chunks(text, 5);
        const ByteRange dlq = s.ranges[static_cast<std::size_t>(StateSection::dlq)];
        CHECK(Json::parse(text.substr(dlq.begin, dlq.end - dlq.begin)) == sample_snapshot()["dlq"]);
    }
    SECTION("counts use the gateway's field names") {
        CHECK(validate_in_chunks(text, 9).counts.to_json().dump() ==
              R"({"sessions_count":2,"confirmations_count":1,"dlq_count":3,"breakers_count":2})");
    }
}

TEST_CASE("state: structural problems are refused, naming the entry") {
    CHECK(refusal(sample_snapshot().dump()).empty());
    CHECK_THAT(refusal("[1, 2]"), Catch::Contains("an array, not a snapshot object"));
    CHECK_THAT(refusal("\"text\""), Catch::Contains("not a JSON object"));
    CHECK_THAT(refusal(without("dlq")), Catch::Contains("missing array 'dlq'"));
    CHECK_THAT(refusal(without("backup_id")), Catch::Contains("missing string 'backup_id'"));
    CHECK_THAT(refusal(without("timestamp")), Catch::Contains("missing string 'timestamp'"));
    CHECK_THAT(refusal(with("/dlq", Json::object())), Catch::Contains("'dlq' is not an array"));
    CHECK_THAT(refusal(with("/sessions", 3)), Catch::Contains("'sessions' is not an array"));
    CHECK_THAT(refusal(with("/backup_id", 7)), Catch::Contains("'backup_id' is not a non-empty string"));
    CHECK_THAT(refusal(with("/backup_id", "")), Catch::Contains("'backup_id' is not a non-empty string"));
    CHECK_THAT(refusal(with("/timestamp", "yesterday")), Catch::Contains("'timestamp' is not an ISO-8601 timestamp"));
    CHECK_THAT(refusal(with("/dlq/1", "just text")), Catch::Contains("dlq[1] is not an object"));
    CHECK_THAT(refusal(with("/dlq/2", Json::array())), Catch::Contains("dlq[2] is not an object"));
    CHECK_THAT(refusal(with("/breakers/0", 3)), Catch::Contains("breakers[0] is not an object"));
    CHECK_THAT(refusal(R"({"dlq":[],"dlq":[]})"), Catch::Contains("'dlq' appears twice"));
}

TEST_CASE("state: every documented field of sessions and confirmations is checked") {
    // Missing: "<entry> has no '<field>'".
    for (const char* field : {"session_id", "user_id", "created_at", "last_activity"}) {
        Json j = sample_snapshot();
        j["sessions"][1].erase(field);
        CHECK_THAT(refusal(j.dump()), Catch::Contains(fmt::format("sessions[1] has no '{}'", field)));
    }
    for (const char* field : {"confirmation_id", "session_id", "capability", "args", "created_at", "ttl"}) {
        Json j = sample_snapshot();
        j["confirmations"][0].erase(field);
        CHECK_THAT(refusal(j.dump()), Catch::Contains(fmt::format("confirmations[0] has no '{}'", field)));
    }
    // Ids: non-empty strings, at most 4096 bytes.
    CHECK_THAT(refusal(with("/sessions/0/session_id", 42)), Catch::Contains("sessions[0].session_id is not a non-empty string"));
    CHECK_THAT(refusal(with("/sessions/1/session_id", "")), Catch::Contains("sessions[1].session_id is not a non-empty string"));
    CHECK_THAT(refusal(with("/sessions/0/user_id", Json{{"x", 1}})), Catch::Contains("sessions[0].user_id is not a non-empty string"));
    CHECK_THAT(refusal(with("/confirmations/0/confirmation_id", nullptr)),
               Catch::Contains("confirmations[0].confirmation_id is not a non-empty string"));
    CHECK_THAT(refusal(with("/confirmations/0/session_id", true)), Catch::Contains("confirmations[0].session_id is not a non-empty string"));
    CHECK_THAT(refusal(with("/sessions/0/session_id", std::string(5000, 'a'))), Catch::Contains("longer than 4096 bytes"));
    CHECK_THAT(refusal(with("/confirmations/0/capability", Json::array())),
               Catch::Contains("confirmations[0].capability is not a non-empty string"));
    // Timestamps: ISO-8601.
    CHECK_THAT(refusal(with("/sessions/0/created_at", "2026-11-26")), Catch::Contains("sessions[0].created_at is not an ISO-8601 timestamp"));
    CHECK_THAT(refusal(with("/sessions/0/last_activity", 1764115200)),
               Catch::Contains("sessions[0].last_activity is not an ISO-8601 timestamp"));
    CHECK_THAT(refusal(with("/confirmations/0/created_at", "2026-02-30T10:00:00Z")),
               Catch::Contains("confirmations[0].created_at is not an ISO-8601 timestamp"));
    // TTL: a non-negative number.
    CHECK_THAT(refusal(with("/confirmations/0/ttl", "120")), Catch::Contains("confirmations[0].ttl is not a non-negative number"));
    CHECK_THAT(refusal(with("/confirmations/0/ttl", -1)), Catch::Contains("confirmations[0].ttl is not a non-negative number"));
    CHECK(refusal(with("/confirmations/0/ttl", 0)).empty());
    CHECK(refusal(with("/confirmations/0/ttl", 0.5)).empty());
    // args: any JSON value.
    for (const Json& args : {Json(nullptr), Json(3), Json("text"), Json::array({1, 2})}) CHECK(refusal(with("/confirmations/0/args", args)).empty());
}

TEST_CASE("state: ISO-8601 timestamps") {
    for (const char* good : {"2026-02-15T14:23:45Z", "2026-02-15T14:23:45.123Z", "2026-02-15T14:23:45.123456+01:00",
                             "2024-02-29T00:00:00-0500", "2026-02-15T14:23:45", "2016-12-31T23:59:60Z"}) {
        INFO(good);
        CHECK(is_iso8601_timestamp(good));
    }
    for (const char* bad : {"", "2026-02-15", "2026-02-15 14:23:45Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                            "2026-02-15T24:00:00Z", "2026-02-15T14:23:45.Z", "2026-02-15T14:23:45+1", "2026-02-15T14:23:45ZZ",
                            "20260215T142345Z"}) {
        INFO(bad);
        CHECK(!is_iso8601_timestamp(bad));
    }
}

TEST_CASE("state: JSON syntax errors are found, with the byte offset") {
    const std::string good = sample_snapshot().dump();
    CHECK_THAT(refusal(""), Catch::Contains("not valid JSON: empty document"));
    CHECK_THAT(refusal(good.substr(0, good.size() / 2)), Catch::Contains("truncated"));
    CHECK_THAT(refusal(good + " x"), Catch::Contains("content after the end"));
    CHECK_THAT(refusal(R"({"a":[1,]})"), Catch::Contains("unexpected ']' at byte 8"));
    CHECK_THAT(refusal(R"({"a":tru})"), Catch::Contains("invalid literal 'tru'"));
    CHECK_THAT(refusal(R"({"a":01})"), Catch::Contains("invalid number '01'"));
    CHECK_THAT(refusal(R"({"a":1.})"), Catch::Contains("invalid number"));
    CHECK_THAT(refusal(R"({"a" 1})"), Catch::Contains("expected ':'"));
    CHECK_THAT(refusal(R"({"a":1 "b":2})"), Catch::Contains("expected ',' or '}'"));
    CHECK_THAT(refusal(R"({1:2})"), Catch::Contains("expected a string key"));
    CHECK_THAT(refusal("{\"a\":\"x\ty\"}"), Catch::Contains("control character"));
    CHECK_THAT(refusal(R"({"a":"\q"})"), Catch::Contains("invalid escape"));
    CHECK_THAT(refusal(R"({"a":"\u12G4"})"), Catch::Contains("invalid \\u escape"));
    CHECK_THAT(refusal(R"({"a":"\ud800"})"), Catch::Contains("lone surrogate"));
    CHECK_THAT(refusal("{\"a\":\"\xc3(\"}"), Catch::Contains("invalid UTF-8"));
    CHECK_THAT(refusal("{\"a\":\"\xed\xa0\x80\"}"), Catch::Contains("invalid UTF-8"));  // an encoded surrogate
    CHECK_THAT(refusal("{\"a\":" + std::string(600, '[') + std::string(600, ']') + "}"), Catch::Contains("nested deeper than 512"));
}

TEST_CASE("state: multi-byte UTF-8 split across chunks is accepted") {
    const std::string text = with("/dlq/0/payload", "\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9");
    CHECK(validate_in_chunks(text, 1).counts[StateSection::dlq] == 3);
}

TEST_CASE("state: the manifest's state section round-trips and is required for kind state") {
    Manifest m;
    m.backup_id = "bkp_20261126T003000Z_abcdef";
    m.kind = "state";
    m.label = "daily";
    m.created_at = *parse_iso8601("2026-11-26T00:30:00Z");
    m.source = "http://127.0.0.1:7000";
    m.method = "gateway";
    m.file = "gateway-state-20261126-003000.json";
    m.sha256 = std::string(64, 'b');
    m.state = StateInfo{2, 1, 3, 2, "gw-0001", "2026-11-26T00:29:59Z", "/var/lib/gw/state-gw-0001.json"};
    m.set_id = "set_20261126T003000Z_abcdef";
    const Manifest back = parse_manifest(m.to_json().dump(), "m.json");
    REQUIRE(back.state);
    CHECK(back.state->dlq_count == 3);
    CHECK(back.state->gateway_backup_id == "gw-0001");
    CHECK(back.set_id == m.set_id);
    CHECK(back.to_json() == m.to_json());

    Json j = m.to_json();
    j["state"]["dlq_count"] = -1;
    CHECK_THROWS_WITH(parse_manifest(j.dump(), "m.json"), Catch::Contains("'dlq_count' is negative"));
    j["state"]["dlq_count"] = 3;
    j["set_id"] = "bkp_x";
    CHECK_THROWS_WITH(parse_manifest(j.dump(), "m.json"), Catch::Contains("set_id does not start with 'set_'"));
    j.erase("set_id");
    CHECK(!parse_manifest(j.dump(), "m.json").to_json().contains("set_id"));
    j.erase("state");
    CHECK_THROWS_WITH(parse_manifest(j.dump(), "m.json"), Catch::Contains("without a 'state' section"));
}

TEST_CASE("state: only files inside the gateway's folder are read") {
    test::TempDir dir;
    const fs::path folder = dir / "gw";
    fs::create_directories(folder);
    test::write_text(folder / "state-1.json", "{}");
    test::write_text(dir / "secret.json", "{}");
    const auto refused = [&](const std::string& named) {
        try {
            resolve_gateway_file(named, folder);
        } catch (const Error& e) {
            CHECK(e.code() == "gateway_path");
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(resolve_gateway_file((folder / "state-1.json").string(), folder) == fs::canonical(folder / "state-1.json"));
    CHECK_THAT(refused("state-1.json"), Catch::Contains("a relative path"));
    CHECK_THAT(refused((folder / ".." / "secret.json").string()), Catch::Contains("contains '..'"));
    CHECK_THAT(refused((folder / ".." / "gw" / "state-1.json").string()), Catch::Contains("contains '..'"));
    CHECK_THAT(refused((dir / "secret.json").string()), Catch::Contains("outside the gateway's backups folder"));
    CHECK_THAT(refused(folder.string()), Catch::Contains("outside"));
#ifndef _WIN32  // mingw's std::filesystem cannot make symbolic links
    fs::create_symlink(dir / "secret.json", folder / "link.json");
    CHECK_THAT(refused((folder / "link.json").string()), Catch::Contains("outside"));
#endif
    CHECK_THROWS_WITH(resolve_gateway_file((folder / "nope.json").string(), folder), Catch::Contains("does not exist"));
}
