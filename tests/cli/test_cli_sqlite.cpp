// The bundled SQLite: named by --version, the only one linked, and the refusal to run on an old one.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace soniabk::test;

TEST_CASE("cli sqlite: --version names SQLite's version and source id, as text and as JSON") {
    const auto text = run_soniabk({"--version"});
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find(std::string("\nSQLite ") + SQLITE_VERSION + " (" + SQLITE_SOURCE_ID + ")\n") != std::string::npos);
    const auto json = run_soniabk({"--version", "--json"});
    REQUIRE(json.exit_code == 0);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["ok"] == true);
    CHECK(doc["sqlite"]["version"] == SQLITE_VERSION);
    CHECK(doc["sqlite"]["source_id"] == SQLITE_SOURCE_ID);
    CHECK(doc["soniabk"].is_string());
    CHECK(doc["openssl"].get<std::string>().starts_with("OpenSSL 3."));
    CHECK(doc["zstd"].get<std::string>().starts_with("1."));
}

TEST_CASE("cli sqlite: on a SQLite older than 3.51.3 every command refuses to start, with exit 3") {
    const ProcessOptions old_sqlite{.env = {{"SONIABK_FAULT", "old_sqlite"}}};
    const auto text = run_soniabk({"list", "--repo", "/nonexistent"}, old_sqlite);
    CHECK(text.exit_code == 3);
    CHECK(text.out.empty());
    CHECK(text.err == "soniabk: SQLite 3.51.2 is older than 3.51.3, which fixed a WAL corruption bug; "
                      "soniabk will not run on it\n");
    const auto json = run_soniabk({"--json", "--version"}, old_sqlite);
    CHECK(json.exit_code == 3);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["ok"] == false);
    CHECK(doc["error"]["code"] == "sqlite_too_old");
}

#ifdef __linux__
TEST_CASE("cli sqlite: no soniabk binary loads the system libsqlite3") {
    for (const char* name : {"soniabk", "soniabk-test-writer", "soniabk-test-checkpointer"}) {
        INFO(name);
        const auto ldd = run_process({"/usr/bin/ldd", helper_binary(name).string()});
        REQUIRE(ldd.exit_code == 0);
        CHECK(ldd.out.find("libsqlite3") == std::string::npos);
    }
}
#endif
