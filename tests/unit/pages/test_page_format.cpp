// The page store's binary objects byte for byte against the test vectors of docs/FORMAT.md (computed
// independently with Python's hashlib, hmac and the cryptography package's HKDF), and parsed back.
#include "codec/crypto.hpp"
#include "io/hash.hpp"
#include "pages/block_codec.hpp"
#include "pages/page_index.hpp"
#include "pages/page_map.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <numeric>

using namespace soniabk;
using namespace soniabk::pages;

namespace {

const std::string page_two = "soniabk page two";
const std::string page_two_changed = "soniabk page 2!!";

std::string bytes_00_to(int count, int first = 0) {
    std::string out(static_cast<std::size_t>(count), '\0');
    std::iota(out.begin(), out.end(), static_cast<char>(first));
    return out;
}

PageId id_of(const std::string& page, const SecretBytes* key = nullptr) {
    return PageHasher(key).id_of(reinterpret_cast<const unsigned char*>(page.data()), page.size());
}

std::string hex(const std::string& bytes) { return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()); }

const std::string full_map_vector =
    "534f4e49414d415001000000000000100000000000000002000000000000000200000000000000000000000000000000000000000000"
    "000000000000000000000000be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991cc06d4fcd539bd39e3a7"
    "3fad6b4baeb1f323c67bcfb53c0df4736ff42d3a6df0";
const std::string delta_map_vector =
    "534f4e49414d4150010101000000001000000000000000020000000000000001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaa000c64622f612e706167656d6170000000026e8e139a56b4b679e81fa3fea81de39a1cce08e86fd06cf9392f"
    "391e04bd028d";
const std::string index_vector =
    "534f4e494149445801010000000000010000000000000064bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
    "bbbb00000000000000000000006400000002be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a899100000010"
    "cc06d4fcd539bd39e3a73fad6b4baeb1f323c67bcfb53c0df4736ff42d3a6df000000010f0b706d6841086be57a780e640a5a8c75725"
    "d92e80fbb9f0796e89ad90efd1e2";

}  // namespace

TEST_CASE("page_format: page ids are SHA-256, or HMAC-SHA-256 under the key derived from the repository key") {
    const std::string one = bytes_00_to(16);
    CHECK(to_hex(id_of(one)) == "be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991");
    CHECK(to_hex(id_of(page_two)) == "cc06d4fcd539bd39e3a73fad6b4baeb1f323c67bcfb53c0df4736ff42d3a6df0");
    const std::string key = bytes_00_to(32);
    EncryptionHeader header;
    const std::string salt = bytes_00_to(32, 0xa0);
    std::copy(salt.begin(), salt.end(), header.salt.begin());
    const FileKeys keys = derive_file_keys(SecretBytes(key.data(), key.size()), header);
    CHECK(to_hex(keys.mac_key.data(), keys.mac_key.size()) == "55fca564809918d84966d5d2b75a705307f0a2ca7f9d15719d1004b730dc1162");
    CHECK(to_hex(id_of(one, &keys.mac_key)) == "604557d011133a010d3373acb26e50110677bb3160fe91b09505a98768320999");
}

TEST_CASE("page_format: full and delta maps are the documented bytes and load back through their chain") {
    PageMap map;
    map.page_size = 16;
    map.pages = {id_of(bytes_00_to(16)), id_of(page_two)};
    const std::string full = serialize_page_map(map, nullptr);
    CHECK(hex(full) == full_map_vector);

    PageMap changed = map;
    changed.pages[1] = id_of(page_two_changed);
    ParentMap parent{MapRef{"db/a.pagemap", FileDigest{std::string(64, 'a'), 0}}, map};
    CHECK(hex(serialize_page_map(changed, &parent)) == delta_map_vector);

    // Stored as blocks, the delta's chain resolves to the changed map.
    test::TempDir dir;
    storage::LocalStorage store(dir.path());
    BlockEncoder encoder(3, nullptr);
    const auto put = [&](const std::string& key, const std::string& plain) {
        const std::string stored = encoder.encode(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
        store.write_all(key, stored, storage::Overwrite::never);
        Sha256 sha;
        sha.update(stored.data(), stored.size());
        return FileDigest{sha.hex_digest(), stored.size()};
    };
    parent.ref.stored = put("db/a.pagemap", full);
    const FileDigest delta = put("db/b.pagemap", serialize_page_map(changed, &parent));
    const PageMap loaded = load_page_map(store, MapRef{"db/b.pagemap", delta}, nullptr);
    CHECK(loaded.page_size == 16);
    CHECK(loaded.depth == 1);
    CHECK(loaded.pages == changed.pages);
}

TEST_CASE("page_format: a pack's index object is the documented bytes and refuses damage") {
    PackIndex index;
    index.kind = IdKind::sha256;
    index.pack_name = "p";
    index.pack = FileDigest{std::string(64, 'b'), 100};
    index.blocks.push_back({0, 100, {{id_of(bytes_00_to(16)), 16}, {id_of(page_two), 16}}});
    const std::string bytes = serialize_pack_index(index);
    CHECK(hex(bytes) == index_vector);

    const PackIndex parsed = parse_pack_index(bytes, "p", "p.idx");
    REQUIRE(parsed.blocks.size() == 1);
    CHECK(parsed.blocks[0].pages.size() == 2);
    CHECK(parsed.blocks[0].pages[1].id == id_of(page_two));
    CHECK(parsed.pack.sha256 == std::string(64, 'b'));

    std::string damaged = bytes;
    damaged[60] ^= 1;
    CHECK_THROWS_WITH(parse_pack_index(damaged, "p", "p.idx"), Catch::Contains("index checksum does not match"));
    CHECK_THROWS_WITH(parse_pack_index(bytes.substr(0, 40), "p", "p.idx"), Catch::Contains("shorter than an index"));
}
