// `verify --read-data-subset N/M`: M runs read every pack and every file backup exactly once, a damaged
// pack fails the one run that reads it, and bad input is one clear line.
#include "cli_fixture.hpp"
#include "repo_init.hpp"
#include "sqlite/sqlite.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>

using namespace soniabk;
using namespace soniabk::test;

namespace {

void nights(const CliFixture& f, int count) {
    for (int i = 1; i <= count; ++i) {
        {
            Database writer = Database::open(f.db, Database::Mode::read_write);
            writer.exec(fmt::format("UPDATE memories SET content = 'night {}' WHERE id % 5 = {}", i, i % 5));
        }
        f.run_json({"backup", "db"});
    }
}

}  // namespace

TEST_CASE("cli verify subset: M runs read every pack once, one damaged pack fails exactly one run") {
    CliFixture f({.memories = 3000});
    REQUIRE(f.run({"init"}).exit_code == 0);
    nights(f, 4);
    const int m = 3;
    std::uint64_t read = 0;
    std::uint64_t total = 0;
    for (int n = 1; n <= m; ++n) {
        const Json doc = f.run_json({"verify", "--read-data-subset", fmt::format("{}/{}", n, m)});
        CHECK(doc["ok"] == true);
        CHECK(doc["backups"].size() == 4);  // every backup's structure, each run
        read += doc["subset"]["packs_read"].get<std::uint64_t>();
        total = doc["subset"]["packs_total"].get<std::uint64_t>();
    }
    CHECK(total >= 2);
    CHECK(read == total);
    const Json whole = f.run_json({"verify", "--read-data-subset", "1/1"});
    CHECK(whole["subset"]["packs_read"] == total);
    CHECK(whole["subset"]["bytes_read"].get<std::uint64_t>() > 0);

    // Flip one byte in the middle of one pack: its run, and only its run, fails naming it.
    fs::path pack;
    for (const auto& e : fs::directory_iterator(f.repo / "pages" / "packs")) pack = e.path();
    {
        std::fstream file(pack, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(fs::file_size(pack) / 2));
        file.put('\x5a');
    }
    int failed = 0;
    for (int n = 1; n <= m; ++n) {
        const ProcessResult r = f.run({"--json", "verify", "--read-data-subset", fmt::format("{}/{}", n, m)});
        if (r.exit_code == 0) continue;
        ++failed;
        CHECK(r.exit_code == 1);
        CHECK(r.out.find(pack.stem().string()) != std::string::npos);
    }
    CHECK(failed == 1);
}

TEST_CASE("cli verify subset: file backups are read --deep by part, auto/M runs, bad input is one line") {
    CliFixture f({.memories = 500});
    init_repo(f.repo);
    nights(f, 6);
    std::uint64_t read = 0;
    for (int n = 1; n <= 4; ++n) {
        const Json doc = f.run_json({"verify", "--read-data-subset", fmt::format("{}/4", n)});
        read += doc["subset"]["backups_read"].get<std::uint64_t>();
        for (const auto& b : doc["backups"]) CHECK(b["checks"].back()["name"] == "integrity_check");
    }
    CHECK(read == 6);
    const Json today = f.run_json({"verify", "--read-data-subset", "auto/4"});
    CHECK(today["subset"]["m"] == 4);
    CHECK(f.run_json({"list"})["backups"].size() == 6);

    for (const char* bad : {"0/4", "5/4", "half"}) {
        const ProcessResult r = f.run({"verify", "--read-data-subset", bad});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--read-data-subset") != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK(f.run({"verify", "--read-data-subset", "1/4", "--deep"}).exit_code == 2);
}
