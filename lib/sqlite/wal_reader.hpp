// SQLite's write-ahead log read as SQLite's own recovery reads it: the header, then frames while their salts
// match the header's and their cumulative checksums hold; only frames up to the last commit frame are committed.
#pragma once

#include "io/byte_source.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace soniabk {

inline constexpr std::size_t wal_header_bytes = 32;
inline constexpr std::size_t wal_frame_header_bytes = 24;

// The byte order of the log's checksums (the magic number's lowest bit), independent of the file's big-endian fields.
enum class WalChecksumOrder { little_endian, big_endian };

struct WalChecksum {
    std::uint32_t s1 = 0;
    std::uint32_t s2 = 0;
    bool operator==(const WalChecksum& other) const { return s1 == other.s1 && s2 == other.s2; }
};

struct WalHeader {
    WalChecksumOrder order = WalChecksumOrder::little_endian;
    std::uint32_t page_size = 0;
    std::uint32_t checkpoint_sequence = 0;
    std::uint32_t salt1 = 0;  // a new pair each time the log restarts: frames of an older log do not match
    std::uint32_t salt2 = 0;
    WalChecksum checksum;     // over the first 24 bytes; the first frame's checksum continues from it
};

// SQLite's checksum over `size` bytes (a multiple of 8) as pairs of 32-bit words, continuing from `from`.
WalChecksum wal_checksum(WalChecksumOrder order, const unsigned char* data, std::size_t size, WalChecksum from);

// The header of a log, or nothing when these bytes are not a valid one (SQLite then treats the log as empty).
std::optional<WalHeader> parse_wal_header(const unsigned char* bytes, std::size_t size);

// Receives the log's frames in order. Frames are committed by the next commit(); frames after the last commit
// are never followed by one and must be discarded.
class WalVisitor {
public:
    virtual ~WalVisitor() = default;
    // `data` (the header's page size) is valid during the call only.
    virtual void frame(std::uint32_t page_number, const unsigned char* data) = 0;
    // The frames since the previous commit form one transaction; the database then holds `database_pages` pages
    // and the committed log ends `end_offset` bytes into the file, with checksum `running` there.
    virtual void commit(std::uint32_t database_pages, std::uint64_t end_offset, WalChecksum running) = 0;
};

struct WalScan {
    std::optional<WalHeader> header;   // none: no log, or one SQLite would ignore
    std::uint64_t committed_frames = 0;
    std::uint64_t transactions = 0;
    std::uint64_t committed_end = 0;   // bytes of the file up to the last commit frame (0 without one)
    std::uint64_t uncommitted_frames = 0;  // valid frames after the last commit: a transaction still being written
    WalChecksum checksum;              // the running checksum at committed_end
};

// Reads `log` to the end of its valid frames, handing every valid frame and commit to `visitor`.
WalScan scan_wal(ByteSource& log, WalVisitor& visitor);

// A place in one log: `offset` bytes in, just after a commit frame (or the header), with the running checksum there.
struct WalPosition {
    WalHeader header;
    std::uint64_t offset = wal_header_bytes;
    WalChecksum checksum;  // the header's own at offset 32
};

WalPosition wal_start(const WalHeader& header);

// Continues a scan from `from`: `log` yields the file's bytes from `from.offset` on. The result's committed_end
// and checksum stay at `from` when no further transaction is complete.
WalScan scan_wal_from(ByteSource& log, const WalPosition& from, WalVisitor& visitor);

}  // namespace soniabk
