#include "replica/wal_follower.hpp"

#include "io/byte_source.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace soniabk::replica {

namespace {

struct TransactionTooLarge {};
struct ReadEnough {};  // a backlog: the transactions read so far are shipped before the rest is read

// Gathers frames into transactions, each page once with its last image.
class TransactionCollector final : public WalVisitor {
public:
    TransactionCollector(const WalHeader& header, std::vector<SegmentTransaction>& out)
        : header_(header), page_size_(header.page_size), out_(out) {}

    void frame(std::uint32_t page_number, const unsigned char* data) override {
        const auto [at, inserted] = slots_.try_emplace(page_number, current_.page_numbers.size());
        if (inserted) {
            current_.page_numbers.push_back(page_number);
            current_.pages.append(reinterpret_cast<const char*>(data), page_size_);
            if (current_.pages.size() > max_transaction_bytes) throw TransactionTooLarge{};
        } else {
            current_.pages.replace(at->second * page_size_, page_size_, reinterpret_cast<const char*>(data), page_size_);
        }
    }
    void commit(std::uint32_t database_pages, std::uint64_t end_offset, WalChecksum running) override {
        current_.ends_at = WalPosition{header_, end_offset, running};
        current_.database_pages = database_pages;
        const std::size_t size = current_.pages.size() + current_.page_numbers.size() * 4 + 16;
        bytes_ += size;
        out_.push_back(std::move(current_));
        current_ = {};
        slots_.clear();
        // Stop before one more such transaction would pass the target: what was read fills one segment.
        if (bytes_ + size > segment_target_bytes) throw ReadEnough{};
    }
    std::size_t bytes() const { return bytes_; }

private:
    WalHeader header_;
    std::uint32_t page_size_;
    std::vector<SegmentTransaction>& out_;
    SegmentTransaction current_;
    std::unordered_map<std::uint32_t, std::size_t> slots_;
    std::size_t bytes_ = 0;
};

bool same_log(const WalHeader& a, const WalHeader& b) {
    return a.salt1 == b.salt1 && a.salt2 == b.salt2 && a.checkpoint_sequence == b.checkpoint_sequence &&
           a.page_size == b.page_size;
}

// SQLite restarts a log with the checkpoint sequence and the first salt one higher.
bool restarted_from(const WalHeader& next, const WalHeader& previous) {
    return next.checkpoint_sequence == previous.checkpoint_sequence + 1 && next.salt1 == previous.salt1 + 1;
}

}  // namespace

WalPosition committed_end(const std::filesystem::path& wal) {
    std::error_code ec;
    if (!std::filesystem::exists(wal, ec)) return no_log();
    FileSource source(wal);
    class Ignore final : public WalVisitor {
        void frame(std::uint32_t, const unsigned char*) override {}
        void commit(std::uint32_t, std::uint64_t, WalChecksum) override {}
    } ignore;
    const WalScan scan = scan_wal(source, ignore);
    if (!scan.header) return no_log();
    if (scan.transactions == 0) return wal_start(*scan.header);
    return WalPosition{*scan.header, scan.committed_end, scan.checksum};
}

bool has_log(const WalPosition& position) { return position.header.page_size != 0; }

WalPosition no_log() {
    WalPosition p;
    p.offset = 0;
    return p;
}

WalFollower::WalFollower(std::filesystem::path wal, WalPosition from, bool restart_ok)
    : wal_(std::move(wal)), position_(from), restart_ok_(restart_ok) {}

std::uint64_t WalFollower::log_frames() const {
    if (!has_log(position_)) return 0;
    return (position_.offset - wal_header_bytes) / (wal_frame_header_bytes + position_.header.page_size);
}

bool WalFollower::broken(std::string why) {
    broken_ = std::move(why);
    return false;
}

std::vector<SegmentTransaction> WalFollower::take() {
    pending_bytes_ = 0;
    return std::exchange(pending_, {});
}

bool WalFollower::continue_from(const WalPosition& from, FileSource& source, const Clock& clock) {
    source.file().seek(from.offset);
    const std::size_t before = pending_.size();
    TransactionCollector collector(from.header, pending_);
    caught_up_ = true;
    try {
        const WalScan scan = scan_wal_from(source, from, collector);
        position_ = WalPosition{from.header, scan.committed_end, scan.checksum};
    } catch (const ReadEnough&) {
        position_ = pending_.back().ends_at;
        caught_up_ = false;
    } catch (const TransactionTooLarge&) {
        return broken(fmt::format("a transaction larger than {} MiB is in the WAL", max_transaction_bytes >> 20));
    }
    // Each was committed before the read that found it ended: restore --at never replays one committed later.
    const TimePoint seen = clock.now();
    for (std::size_t i = before; i < pending_.size(); ++i) pending_[i].committed_at = seen;
    pending_bytes_ += collector.bytes();
    if (position_.offset != from.offset || !same_log(position_.header, from.header)) restart_ok_ = false;
    return true;
}

bool WalFollower::read(const Clock& clock) {
    std::error_code ec;
    if (!std::filesystem::exists(wal_, ec)) {
        if (has_log(position_)) return broken(wal_.string() + " is gone: the database was replaced or closed");
        return true;
    }
    FileSource source(wal_);
    wal_bytes_ = source.file().size();
    unsigned char bytes[wal_header_bytes];
    const std::size_t got = read_fully(source, bytes, sizeof bytes);
    const std::optional<WalHeader> header = parse_wal_header(bytes, got);
    if (!header) {
        if (!has_log(position_)) return true;  // no log yet, or its header being written
        if (wal_bytes_ == 0 && restart_ok_) {
            position_ = no_log();  // emptied by a checkpoint that found everything shipped
            return true;
        }
        return broken(wal_.string() + " was emptied or overwritten before replicate had shipped it");
    }
    if (has_log(position_) && same_log(*header, position_.header)) {
        if (wal_bytes_ < position_.offset) return broken(wal_.string() + " is shorter than what was shipped from it");
        return continue_from(position_, source, clock);
    }
    if (!has_log(position_) || (restart_ok_ && restarted_from(*header, position_.header))) {
        return continue_from(wal_start(*header), source, clock);
    }
    return broken(fmt::format("{} was restarted (salts {:08x} {:08x} -> {:08x} {:08x}) by a checkpoint replicate did "
                              "not run",
                              wal_.string(), position_.header.salt1, position_.header.salt2, header->salt1,
                              header->salt2));
}

}  // namespace soniabk::replica
