// The rules are SQLite's walIndexRecover / walDecodeFrame: a frame counts only while its salts equal the header's,
// its cumulative checksum holds and its page number is not 0; the first frame that fails ends the log.
#include "sqlite/wal_reader.hpp"

#include <vector>

namespace soniabk {

namespace {

constexpr std::uint32_t wal_magic = 0x377f0682;  // | 1: big-endian checksums
constexpr std::uint32_t wal_format_version = 3007000;
constexpr std::uint32_t max_page_size = 65536;

std::uint32_t big_endian_u32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint32_t little_endian_u32(const unsigned char* p) {
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

bool valid_page_size(std::uint32_t size) { return size >= 512 && size <= max_page_size && (size & (size - 1)) == 0; }

}  // namespace

WalChecksum wal_checksum(WalChecksumOrder order, const unsigned char* data, std::size_t size, WalChecksum from) {
    const auto word = order == WalChecksumOrder::big_endian ? big_endian_u32 : little_endian_u32;
    WalChecksum sum = from;
    for (std::size_t i = 0; i + 8 <= size; i += 8) {
        sum.s1 += word(data + i) + sum.s2;
        sum.s2 += word(data + i + 4) + sum.s1;
    }
    return sum;
}

std::optional<WalHeader> parse_wal_header(const unsigned char* bytes, std::size_t size) {
    if (size < wal_header_bytes) return std::nullopt;
    const std::uint32_t magic = big_endian_u32(bytes);
    if ((magic & ~std::uint32_t{1}) != wal_magic || big_endian_u32(bytes + 4) != wal_format_version) return std::nullopt;
    WalHeader header;
    header.order = (magic & 1) ? WalChecksumOrder::big_endian : WalChecksumOrder::little_endian;
    header.page_size = big_endian_u32(bytes + 8);
    header.checkpoint_sequence = big_endian_u32(bytes + 12);
    header.salt1 = big_endian_u32(bytes + 16);
    header.salt2 = big_endian_u32(bytes + 20);
    header.checksum = {big_endian_u32(bytes + 24), big_endian_u32(bytes + 28)};
    if (!valid_page_size(header.page_size)) return std::nullopt;
    if (!(wal_checksum(header.order, bytes, 24, {}) == header.checksum)) return std::nullopt;
    return header;
}

WalPosition wal_start(const WalHeader& header) { return WalPosition{header, wal_header_bytes, header.checksum}; }

WalScan scan_wal(ByteSource& log, WalVisitor& visitor) {
    unsigned char header_bytes[wal_header_bytes];
    if (read_fully(log, header_bytes, sizeof header_bytes) != sizeof header_bytes) return {};
    const std::optional<WalHeader> header = parse_wal_header(header_bytes, sizeof header_bytes);
    if (!header) return {};
    WalScan scan = scan_wal_from(log, wal_start(*header), visitor);
    if (scan.transactions == 0) scan.committed_end = 0;
    return scan;
}

WalScan scan_wal_from(ByteSource& log, const WalPosition& from, WalVisitor& visitor) {
    const WalHeader& header = from.header;
    WalScan scan;
    scan.header = header;
    scan.checksum = from.checksum;
    scan.committed_end = from.offset;

    std::vector<unsigned char> frame(wal_frame_header_bytes + header.page_size);
    WalChecksum running = from.checksum;
    std::uint64_t offset = from.offset;
    std::uint64_t pending = 0;  // valid frames since the last commit
    while (read_fully(log, frame.data(), frame.size()) == frame.size()) {
        const unsigned char* head = frame.data();
        const unsigned char* page = head + wal_frame_header_bytes;
        const std::uint32_t page_number = big_endian_u32(head);
        const std::uint32_t database_pages = big_endian_u32(head + 4);
        if (page_number == 0 || big_endian_u32(head + 8) != header.salt1 || big_endian_u32(head + 12) != header.salt2) break;
        running = wal_checksum(header.order, head, 8, running);
        running = wal_checksum(header.order, page, header.page_size, running);
        if (!(running == WalChecksum{big_endian_u32(head + 16), big_endian_u32(head + 20)})) break;
        offset += frame.size();
        visitor.frame(page_number, page);
        ++pending;
        if (database_pages == 0) continue;
        visitor.commit(database_pages, offset, running);
        scan.committed_frames += pending;
        scan.transactions += 1;
        scan.committed_end = offset;
        scan.checksum = running;
        pending = 0;
    }
    scan.uncommitted_frames = pending;
    return scan;
}

}  // namespace soniabk
