#include "writer_process.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace soniabk::test {

using namespace std::chrono_literals;

long committed(const std::filesystem::path& progress) {
    // On Windows a read racing the writer's rename over the file finds nothing for a moment: read again.
    const auto deadline = std::chrono::steady_clock::now() + 200ms;
    std::string text = read_text(progress);
    std::error_code ec;
    while (text.empty() && (std::filesystem::exists(progress, ec) || ec) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
        text = read_text(progress);
    }
    return text.empty() ? 0 : std::stol(text);
}

bool wait_for_commits(Child& writer, const std::filesystem::path& progress, std::int64_t target) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (committed(progress) < target) {
        if (!writer.running() || std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

Child start_writer(const std::filesystem::path& db, const std::filesystem::path& progress, long warmup,
                   const char* autocheckpoint) {
    Child writer({helper_binary("soniabk-test-writer").string(), db.string(), progress.string(), "100000000",
                  autocheckpoint});
    REQUIRE(wait_for_commits(writer, progress, warmup));
    return writer;
}

std::int64_t check_whole_transactions(Database& db) {
    const std::int64_t s = db.query_int("SELECT seq FROM counter").value_or(-1);
    CHECK(db.query_int("SELECT count(*) FROM ledger") == 3 * s);
    CHECK(db.query_int("SELECT count(DISTINCT seq) FROM ledger") == s);
    CHECK(db.query_int("SELECT count(*) FROM (SELECT seq FROM ledger GROUP BY seq HAVING count(*) <> 3)") == 0);
    CHECK(db.query_int("SELECT max(seq) FROM ledger").value_or(0) == s);
    CHECK(db.query_text("PRAGMA integrity_check") == "ok");
    return s;
}

}  // namespace soniabk::test
