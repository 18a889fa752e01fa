// Plain layout (big-endian): "SBKSEG01", u32 page size, u64 sequence, start and end positions, u32 transaction
// count, then per transaction i64 commit time (ms since the epoch), u32 database pages, u32 page count and
// (u32 page number, page bytes) per page; last, the 32-byte SHA-256 of all of it.
#include "replica/segment.hpp"

#include "io/hash.hpp"
#include "pages/block_codec.hpp"
#include "pages/bytes.hpp"

#include <openssl/sha.h>

namespace soniabk::replica {

namespace {

constexpr std::string_view segment_magic = "SBKSEG01";
constexpr std::size_t position_bytes = 7 * 4 + 8 + 2 * 4;

void put_position(std::string& out, const WalPosition& p) {
    pages::put_be(out, p.header.order == WalChecksumOrder::big_endian ? 1 : 0, 4);
    pages::put_be(out, p.header.page_size, 4);
    pages::put_be(out, p.header.checkpoint_sequence, 4);
    pages::put_be(out, p.header.salt1, 4);
    pages::put_be(out, p.header.salt2, 4);
    pages::put_be(out, p.header.checksum.s1, 4);
    pages::put_be(out, p.header.checksum.s2, 4);
    pages::put_be(out, p.offset, 8);
    pages::put_be(out, p.checksum.s1, 4);
    pages::put_be(out, p.checksum.s2, 4);
}

WalPosition take_position(pages::ByteReader& in) {
    WalPosition p;
    p.header.order = in.be(4) == 1 ? WalChecksumOrder::big_endian : WalChecksumOrder::little_endian;
    p.header.page_size = static_cast<std::uint32_t>(in.be(4));
    p.header.checkpoint_sequence = static_cast<std::uint32_t>(in.be(4));
    p.header.salt1 = static_cast<std::uint32_t>(in.be(4));
    p.header.salt2 = static_cast<std::uint32_t>(in.be(4));
    p.header.checksum.s1 = static_cast<std::uint32_t>(in.be(4));
    p.header.checksum.s2 = static_cast<std::uint32_t>(in.be(4));
    p.offset = in.be(8);
    p.checksum.s1 = static_cast<std::uint32_t>(in.be(4));
    p.checksum.s2 = static_cast<std::uint32_t>(in.be(4));
    return p;
}

std::string sha256_bytes(std::string_view bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace

std::size_t Segment::plain_bytes() const {
    std::size_t bytes = segment_magic.size() + 12 + 2 * position_bytes + 4 + SHA256_DIGEST_LENGTH;
    for (const SegmentTransaction& t : transactions) bytes += 16 + t.page_numbers.size() * 4 + t.pages.size();
    return bytes;
}

std::string serialize_segment(const Segment& segment) {
    std::string plain;
    plain.reserve(segment.plain_bytes());
    plain.append(segment_magic);
    pages::put_be(plain, segment.page_size, 4);
    pages::put_be(plain, segment.sequence, 8);
    put_position(plain, segment.start);
    put_position(plain, segment.end);
    pages::put_be(plain, segment.transactions.size(), 4);
    for (const SegmentTransaction& t : segment.transactions) {
        pages::put_be(plain, static_cast<std::uint64_t>(t.committed_at.time_since_epoch().count()), 8);
        pages::put_be(plain, t.database_pages, 4);
        pages::put_be(plain, t.page_numbers.size(), 4);
        for (std::size_t i = 0; i < t.page_numbers.size(); ++i) {
            pages::put_be(plain, t.page_numbers[i], 4);
            plain.append(t.pages, i * segment.page_size, segment.page_size);
        }
    }
    plain += sha256_bytes(plain);
    return plain;
}

std::string encode_segment(const Segment& segment, int zstd_level, const pages::PageStoreKeys* keys) {
    const std::string plain = serialize_segment(segment);
    pages::BlockEncoder encoder(zstd_level, keys);
    return encoder.encode(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
}

Segment decode_segment(std::string_view stored, const pages::PageStoreKeys* keys, const fs::path& origin) {
    pages::BlockDecoder decoder(keys);
    const std::vector<unsigned char> decoded = decoder.decode(stored, origin);
    return parse_segment(std::string_view(reinterpret_cast<const char*>(decoded.data()), decoded.size()), origin);
}

Segment parse_segment(std::string_view plain, const fs::path& origin) {
    pages::ByteReader in(plain, origin);
    if (plain.size() < segment_magic.size() + SHA256_DIGEST_LENGTH) in.fail("too short for a segment");
    const std::string_view body = plain.substr(0, plain.size() - SHA256_DIGEST_LENGTH);
    if (sha256_bytes(body) != plain.substr(body.size())) in.fail("SHA-256 of the segment does not match its trailer");
    if (in.take(segment_magic.size()) != segment_magic) in.fail("not a replication segment");
    Segment segment;
    segment.page_size = static_cast<std::uint32_t>(in.be(4));
    if (segment.page_size < 512 || segment.page_size > 65536 || (segment.page_size & (segment.page_size - 1)) != 0) {
        in.fail("page size is not SQLite's");
    }
    segment.sequence = in.be(8);
    segment.start = take_position(in);
    segment.end = take_position(in);
    const std::uint64_t count = in.be(4);
    for (std::uint64_t n = 0; n < count; ++n) {
        SegmentTransaction t;
        t.committed_at = TimePoint(std::chrono::milliseconds(static_cast<std::int64_t>(in.be(8))));
        t.database_pages = static_cast<std::uint32_t>(in.be(4));
        if (t.database_pages == 0) in.fail("a transaction leaves a database of 0 pages");
        const std::uint64_t pages = in.be(4);
        if (pages * (4 + std::uint64_t{segment.page_size}) > in.remaining()) in.fail("page count past the end");
        for (std::uint64_t i = 0; i < pages; ++i) {
            t.page_numbers.push_back(static_cast<std::uint32_t>(in.be(4)));
            if (t.page_numbers.back() == 0) in.fail("page number 0");
            t.pages.append(in.take(segment.page_size));
        }
        segment.transactions.push_back(std::move(t));
    }
    if (in.remaining() != SHA256_DIGEST_LENGTH) in.fail("bytes after the last transaction");
    return segment;
}

}  // namespace soniabk::replica
