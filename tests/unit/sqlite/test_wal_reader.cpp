// The WAL reader against logs SQLite itself wrote: committed transactions applied to the checkpointed database file
// give the live database; a damaged frame, frames of an older log and an unfinished transaction end what counts.
#include "sqlite/sqlite.hpp"
#include "sqlite/wal_reader.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

using namespace soniabk;

namespace {

// Applies each committed transaction to an image of the database file, as a checkpoint would.
class ApplyingVisitor final : public WalVisitor {
public:
    ApplyingVisitor(std::string image, std::uint32_t page_size) : image_(std::move(image)), page_size_(page_size) {}

    void frame(std::uint32_t page_number, const unsigned char* data) override {
        pending_.emplace_back(page_number, std::string(reinterpret_cast<const char*>(data), page_size_));
    }
    void commit(std::uint32_t database_pages, std::uint64_t end_offset, WalChecksum) override {
        image_.resize(std::size_t{database_pages} * page_size_);
        for (const auto& [number, page] : pending_) {
            if (number <= database_pages) image_.replace(std::size_t{number - 1} * page_size_, page_size_, page);
        }
        pending_.clear();
        commit_ends.push_back(end_offset);
    }

    const std::string& image() const { return image_; }
    std::vector<std::uint64_t> commit_ends;

private:
    std::string image_;
    std::uint32_t page_size_;
    std::vector<std::pair<std::uint32_t, std::string>> pending_;
};

constexpr std::uint32_t page_size = 4096;
constexpr int transactions = 12;

// A WAL database with autocheckpoint off: the table checkpointed into the file, then `transactions` commits of
// 40 rows each (several pages a transaction) in the log only. The connection stays open so the log stays.
Database make_logged_database(const fs::path& db_path) {
    Database db = Database::open(db_path, Database::Mode::create);
    db.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0");
    db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT NOT NULL)");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    for (int t = 0; t < transactions; ++t) {
        db.exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                "INSERT INTO memories(content) SELECT printf('%0300d', i) FROM n; COMMIT");
    }
    return db;
}

WalScan scan_file(const fs::path& log, WalVisitor& visitor) {
    FileSource source(log);
    return scan_wal(source, visitor);
}

void write_file(const fs::path& path, const std::string& bytes) { test::write_text(path, bytes); }

std::int64_t rows_in(const fs::path& db_path) {
    Database db = Database::open(db_path, Database::Mode::read_write);
    REQUIRE(db.query_text("PRAGMA integrity_check") == "ok");
    return *db.query_int("SELECT count(*) FROM memories");
}

}  // namespace

TEST_CASE("wal_reader: the committed transactions of a real log applied to the database file give the database") {
    test::TempDir dir;
    Database live = make_logged_database(dir / "memory.db");
    const std::string base = test::read_text(dir / "memory.db");
    ApplyingVisitor visitor(base, page_size);
    const WalScan scan = scan_file(dir / "memory.db-wal", visitor);

    REQUIRE(scan.header);
    CHECK(scan.header->page_size == page_size);
    CHECK(scan.transactions == transactions);
    CHECK(scan.committed_frames > transactions);  // 40 rows of 300 bytes do not fit one page
    CHECK(scan.uncommitted_frames == 0);
    CHECK(scan.committed_end == fs::file_size(dir / "memory.db-wal"));
    write_file(dir / "rebuilt.db", visitor.image());
    CHECK(rows_in(dir / "rebuilt.db") == 40 * transactions);
}

TEST_CASE("wal_reader: a damaged frame ends the log at the transaction before it") {
    test::TempDir dir;
    Database live = make_logged_database(dir / "memory.db");
    ApplyingVisitor first(test::read_text(dir / "memory.db"), page_size);
    scan_file(dir / "memory.db-wal", first);
    REQUIRE(first.commit_ends.size() == transactions);

    std::string log = test::read_text(dir / "memory.db-wal");
    const std::uint64_t fifth_end = first.commit_ends[4];
    SECTION("a flipped byte in a page") { log[fifth_end + wal_frame_header_bytes + 100] ^= 1; }
    SECTION("a frame of another log (its salt)") { log[fifth_end + 8] ^= 1; }
    SECTION("a torn last frame") { log.resize(fifth_end + wal_frame_header_bytes + 10); }
    write_file(dir / "damaged.db-wal", log);
    const std::string base = test::read_text(dir / "memory.db");
    ApplyingVisitor visitor(base, page_size);
    const WalScan scan = scan_file(dir / "damaged.db-wal", visitor);
    CHECK(scan.transactions == 5);
    CHECK(scan.committed_end == fifth_end);
    write_file(dir / "rebuilt.db", visitor.image());
    CHECK(rows_in(dir / "rebuilt.db") == 40 * 5);
}

TEST_CASE("wal_reader: frames after the last commit are not committed") {
    test::TempDir dir;
    Database live = make_logged_database(dir / "memory.db");
    ApplyingVisitor first(test::read_text(dir / "memory.db"), page_size);
    scan_file(dir / "memory.db-wal", first);
    std::string log = test::read_text(dir / "memory.db-wal");
    log.resize(first.commit_ends[2] + wal_frame_header_bytes + page_size);  // one frame of the fourth transaction
    write_file(dir / "cut.db-wal", log);
    ApplyingVisitor visitor(test::read_text(dir / "memory.db"), page_size);
    const WalScan scan = scan_file(dir / "cut.db-wal", visitor);
    CHECK(scan.transactions == 3);
    CHECK(scan.uncommitted_frames == 1);
    CHECK(scan.committed_end == first.commit_ends[2]);
}

TEST_CASE("wal_reader: after a checkpoint the log restarts with new salts and the older frames behind it do not count") {
    test::TempDir dir;
    Database live = make_logged_database(dir / "memory.db");
    const auto old_size = fs::file_size(dir / "memory.db-wal");
    live.exec("PRAGMA wal_checkpoint(PASSIVE)");  // no reader: the whole log is in the file, the next write restarts it
    live.exec("INSERT INTO memories(content) VALUES ('after the checkpoint')");
    REQUIRE(fs::file_size(dir / "memory.db-wal") == old_size);  // written over from the start, not truncated

    ApplyingVisitor visitor(test::read_text(dir / "memory.db"), page_size);
    const WalScan scan = scan_file(dir / "memory.db-wal", visitor);
    CHECK(scan.transactions == 1);
    CHECK(scan.committed_end < old_size);
    write_file(dir / "rebuilt.db", visitor.image());
    CHECK(rows_in(dir / "rebuilt.db") == 40 * transactions + 1);
}

TEST_CASE("wal_reader: headers SQLite would ignore are an empty log") {
    test::TempDir dir;
    Database live = make_logged_database(dir / "memory.db");
    const std::string log = test::read_text(dir / "memory.db-wal");
    const auto* bytes = reinterpret_cast<const unsigned char*>(log.data());
    REQUIRE(parse_wal_header(bytes, log.size()));
    CHECK_FALSE(parse_wal_header(bytes, wal_header_bytes - 1));
    for (const std::size_t at : {0, 5, 10, 17, 27}) {  // magic, version, page size, salt, checksum
        std::string damaged = log.substr(0, wal_header_bytes);
        damaged[at] ^= 4;
        INFO("byte " << at);
        CHECK_FALSE(parse_wal_header(reinterpret_cast<const unsigned char*>(damaged.data()), damaged.size()));
    }
    write_file(dir / "empty.db-wal", "");
    ApplyingVisitor visitor("", page_size);
    const WalScan scan = scan_file(dir / "empty.db-wal", visitor);
    CHECK_FALSE(scan.header);
    CHECK(scan.transactions == 0);
}

TEST_CASE("wal_reader: a log with big-endian checksums is read with them") {
    unsigned char header[wal_header_bytes] = {0x37, 0x7f, 0x06, 0x83, 0x00, 0x2d, 0xe2, 0x18, 0x00, 0x00, 0x10, 0x00,
                                              0, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0x11, 0x22, 0x33, 0x44};
    const auto put = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) header[at + i] = static_cast<unsigned char>(v >> (24 - 8 * i));
    };
    const WalChecksum big = wal_checksum(WalChecksumOrder::big_endian, header, 24, {});
    const WalChecksum little = wal_checksum(WalChecksumOrder::little_endian, header, 24, {});
    REQUIRE_FALSE(big == little);
    put(24, little.s1);
    put(28, little.s2);
    CHECK_FALSE(parse_wal_header(header, sizeof header));
    put(24, big.s1);
    put(28, big.s2);
    const std::optional<WalHeader> parsed = parse_wal_header(header, sizeof header);
    REQUIRE(parsed);
    CHECK(parsed->order == WalChecksumOrder::big_endian);
    CHECK(parsed->salt1 == 0xaabbccdd);
    CHECK(parsed->checkpoint_sequence == 1);
}
