#include "sqlite/page_reader.hpp"

#include "base/error.hpp"
#include "sqlite/sqlite.hpp"

#include <fmt/format.h>
#include <vector>

namespace soniabk {

namespace {

// The header bytes that say WAL (2) or rollback journal (1): the stored file must not ask for a -wal.
constexpr std::size_t write_version_offset = 18;
constexpr std::size_t read_version_offset = 19;

CheckRecord check_in_transaction(Database& db, CheckMode mode) {
    if (mode == CheckMode::none) return {"none", "skipped"};
    Statement stmt = db.prepare(mode == CheckMode::full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    std::string findings;
    while (stmt.step()) findings += (findings.empty() ? "" : "; ") + stmt.column_text(0);
    return {std::string(to_string(mode)), findings.empty() ? "no result" : findings};
}

}  // namespace

PageSnapshot read_snapshot_pages(const fs::path& source, Duration busy_timeout, CheckMode check,
                                 const PageVisitor& visit) {
    require_sqlite_file(source);
    Database db = Database::open(source, Database::Mode::read_write, busy_timeout);
    db.exec("PRAGMA query_only=1");
    const std::string journal_mode = db.query_text("PRAGMA journal_mode").value_or("unknown");
    db.exec("BEGIN");
    PageSnapshot snapshot;
    snapshot.info = describe_open_database(db, journal_mode);  // its first read starts the transaction
    Statement scan = db.prepare("SELECT pgno, data FROM sqlite_dbpage ORDER BY pgno");
    std::vector<unsigned char> first;
    std::uint32_t expected = 1;
    while (scan.step()) {
        const auto number = static_cast<std::uint32_t>(scan.column_int(0));
        const std::string_view page = scan.column_blob(1);
        const auto* data = reinterpret_cast<const unsigned char*>(page.data());
        const std::size_t size = page.size();
        if (number != expected++ || size != static_cast<std::size_t>(snapshot.info.page_size)) {
            throw runtime_error(ErrorCode::corrupt,
                                fmt::format("{}: sqlite_dbpage returned page {} of {} bytes out of order", source.string(),
                                            number, size),
                                source);
        }
        if (number == 1) {
            first.assign(data, data + size);
            if (size > read_version_offset) first[write_version_offset] = first[read_version_offset] = 1;
            visit(number, first.data(), size);
        } else {
            visit(number, data, size);
        }
    }
    snapshot.info.page_count = static_cast<std::int64_t>(expected - 1);
    snapshot.check = check_in_transaction(db, check);
    db.exec("COMMIT");
    return snapshot;
}

}  // namespace soniabk
