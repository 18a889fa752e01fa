// sqlite_dbpage (SQLITE_ENABLE_DBPAGE_VTAB) read inside one read transaction while another process commits:
// the pages are exactly those of the transaction's snapshot, the same the backup API copies in it.
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "writer_process.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <csignal>
#include <string>
#include <vector>

using namespace soniabk;

namespace {

using Pages = std::vector<std::string>;  // page N at index N - 1

// Every page of `db` through sqlite_dbpage in its open transaction; `halfway` runs when half are read.
template <typename Halfway>
Pages read_dbpage(Database& db, std::int64_t page_count, Halfway halfway) {
    Pages pages;
    Statement scan = db.prepare("SELECT pgno, data FROM sqlite_dbpage ORDER BY pgno");
    while (scan.step()) {
        REQUIRE(scan.column_int(0) == static_cast<std::int64_t>(pages.size()) + 1);
        pages.push_back(scan.column_text(1));  // the blob's bytes
        if (static_cast<std::int64_t>(pages.size()) == page_count / 2) halfway();
    }
    return pages;
}

// The backup API's copy of `source` into `dest`, in the transaction `source` has open.
void backup_into(Database& source, const fs::path& dest) {
    Database out = Database::open(dest, Database::Mode::create);
    sqlite3_backup* backup = sqlite3_backup_init(out.handle(), "main", source.handle(), "main");
    REQUIRE(backup != nullptr);
    CHECK(sqlite3_backup_step(backup, -1) == SQLITE_DONE);
    REQUIRE(sqlite3_backup_finish(backup) == SQLITE_OK);
}

Pages split_pages(const std::string& file, std::size_t page_size) {
    Pages pages;
    for (std::size_t at = 0; at < file.size(); at += page_size) pages.push_back(file.substr(at, page_size));
    return pages;
}

// Page 1 without the header fields the backup's own commit rewrites in its copy: file change counter (24),
// schema cookie (40), version-valid-for and SQLite version number (92 to 99).
std::string without_commit_fields(std::string page) {
    for (auto [at, size] : {std::pair{24, 4}, std::pair{40, 4}, std::pair{92, 8}}) page.replace(at, size, size, '\0');
    return page;
}

}  // namespace

TEST_CASE("dbpage: pages read in one read transaction are that snapshot's while a writer commits") {
    test::TempDir dir;
    const auto db_path = dir / "memory.db";
    const auto progress = dir / "progress";
    // Checkpoints every 100 pages: the writer also moves pages into the main file while they are read.
    test::Child writer = test::start_writer(db_path, progress, 300, "100");

    Database db = Database::open(db_path, Database::Mode::read_write);
    db.exec("BEGIN");
    const std::int64_t seq = db.query_int("SELECT seq FROM counter").value_or(-1);  // the read transaction starts here
    const std::int64_t page_count = db.query_int("PRAGMA page_count").value_or(0);
    const std::int64_t page_size = db.query_int("PRAGMA page_size").value_or(0);
    REQUIRE(page_count > 10);
    const Pages pages = read_dbpage(db, page_count, [&] { REQUIRE(test::wait_for_commits(writer, progress, seq + 20)); });
    REQUIRE(test::wait_for_commits(writer, progress, test::committed(progress) + 20));  // more commits before the copy
    backup_into(db, dir / "backup.db");
    db.exec("COMMIT");
    writer.kill(SIGKILL);

    REQUIRE(static_cast<std::int64_t>(pages.size()) == page_count);
    const Pages copied = split_pages(test::read_text(dir / "backup.db"), static_cast<std::size_t>(page_size));
    REQUIRE(copied.size() == pages.size());
    CHECK(without_commit_fields(copied[0]) == without_commit_fields(pages[0]));
    std::size_t differing = 0;
    for (std::size_t i = 1; i < pages.size(); ++i) differing += copied[i] != pages[i];
    CHECK(differing == 0);

    // The pages alone are a whole database holding exactly the transactions committed before the snapshot.
    std::string image;
    for (const std::string& page : pages) image += page;
    test::write_text(dir / "image.db", image);
    Database rebuilt = Database::open(dir / "image.db", Database::Mode::read_write);
    CHECK(test::check_whole_transactions(rebuilt) == seq);
}
