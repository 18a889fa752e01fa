// Replication segments: what encode writes decode gives back, plain and sealed; damage anywhere is refused.
#include "replica/segment.hpp"

#include "base/error.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using namespace soniabk::replica;

namespace {

constexpr std::uint32_t page = 512;

Segment two_transactions() {
    Segment s;
    s.sequence = 7;
    s.page_size = page;
    s.start.header = WalHeader{WalChecksumOrder::little_endian, page, 3, 0x1111, 0x2222, {5, 6}};
    s.start.offset = 32;
    s.start.checksum = {5, 6};
    s.end = s.start;
    s.end.offset = 32 + 3 * (24 + page);
    s.end.checksum = {9, 10};
    SegmentTransaction a;
    a.committed_at = TimePoint(std::chrono::milliseconds(1796698757146));
    a.database_pages = 3;
    a.page_numbers = {1, 3};
    a.pages = std::string(page, 'a') + std::string(page, 'c');
    SegmentTransaction b = a;
    b.committed_at += std::chrono::milliseconds(100);
    b.page_numbers = {2};
    b.pages = std::string(page, 'b');
    s.transactions = {a, b};
    return s;
}

void require_same(const Segment& got, const Segment& want) {
    CHECK(got.sequence == want.sequence);
    CHECK(got.page_size == want.page_size);
    CHECK(got.start.offset == want.start.offset);
    CHECK(got.start.header.salt1 == want.start.header.salt1);
    CHECK(got.end.offset == want.end.offset);
    CHECK(got.end.checksum == want.end.checksum);
    REQUIRE(got.transactions.size() == want.transactions.size());
    for (std::size_t i = 0; i < got.transactions.size(); ++i) {
        CHECK(got.transactions[i].committed_at == want.transactions[i].committed_at);
        CHECK(got.transactions[i].database_pages == want.transactions[i].database_pages);
        CHECK(got.transactions[i].page_numbers == want.transactions[i].page_numbers);
        CHECK(got.transactions[i].pages == want.transactions[i].pages);
    }
}

}  // namespace

TEST_CASE("segment round-trips through its stored form, plain and sealed") {
    const Segment segment = two_transactions();
    require_same(decode_segment(encode_segment(segment, 3, nullptr), nullptr, "s.seg"), segment);
    pages::PageStoreKeys keys{SecretBytes(std::string(32, 'i').data(), 32), SecretBytes(std::string(32, 's').data(), 32)};
    const std::string sealed = encode_segment(segment, 3, &keys);
    require_same(decode_segment(sealed, &keys, "s.seg"), segment);
    CHECK_THROWS_AS(decode_segment(sealed, nullptr, "s.seg"), Error);
    CHECK(serialize_segment(segment).size() == segment.plain_bytes());
}

TEST_CASE("segment refuses a changed byte, a cut, bytes after the end and impossible fields") {
    const std::string plain = serialize_segment(two_transactions());
    const auto refused = [](const std::string& bytes) {
        try {
            parse_segment(bytes, "s.seg");
        } catch (const Error& e) {
            CHECK(e.code() == "backup_damaged");
            CHECK_THAT(e.what(), Catch::Contains("s.seg"));
            return true;
        }
        return false;
    };
    std::string changed = plain;
    changed[200] ^= 1;
    CHECK(refused(changed));
    CHECK(refused(plain.substr(0, plain.size() - 1)));
    CHECK(refused(plain + "x"));
    Segment zero_page = two_transactions();
    zero_page.transactions[1].page_numbers = {0};
    CHECK(refused(serialize_segment(zero_page)));
    Segment odd_size = two_transactions();
    odd_size.page_size = 500;
    odd_size.transactions.clear();
    CHECK(refused(serialize_segment(odd_size)));
}
