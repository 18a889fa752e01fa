#include "base/error.hpp"
#include "codec/keys.hpp"
#include "temp_dir.hpp"
#include "platform/files.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;

namespace {

std::string hex_of(const SecretBytes& key) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        out.push_back(hex[key.data()[i] >> 4]);
        out.push_back(hex[key.data()[i] & 0xf]);
    }
    return out;
}

// "soniabk-key-v1 " + `digits` + `end`, built without operator+ (GCC 12 -O2 warns falsely about it).
std::string key_line(const std::string& digits, const char* end) {
    std::string line = "soniabk-key-v1 ";
    line.append(digits).append(end);
    return line;
}

std::string key_file_error(const fs::path& path) {
    try {
        read_key_file(path);
    } catch (const Error& e) {
        CHECK(e.exit_code() == 2);
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("keys: keygen writes a fresh owner-only key that reads back, and never overwrites") {
    test::TempDir dir;
    const fs::path path = dir / "backup.key";
    generate_key_file(path);
    CHECK(platform::is_owner_only(path));
    const SecretBytes key = read_key_file(path);
    CHECK(key.size() == 32);
    CHECK(test::read_text(path).find(hex_of(key)) != std::string::npos);

    generate_key_file(dir / "other.key");
    CHECK(hex_of(read_key_file(dir / "other.key")) != hex_of(key));

    const std::string before = test::read_text(path);
    CHECK_THROWS_WITH(generate_key_file(path), Catch::Contains("already exists"));
    CHECK(test::read_text(path) == before);
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
    }
}

TEST_CASE("keys: bad key files are refused without quoting their content") {
    test::TempDir dir;
    SECTION("missing") { CHECK_THAT(key_file_error(dir / "none.key"), Catch::Contains("none.key: key file not found")); }
    SECTION("a bad hex digit") {
        test::write_text(dir / "k", key_line(std::string(63, 'a'), "Z\n"));
        const std::string message = key_file_error(dir / "k");
        CHECK_THAT(message, Catch::Contains("not a soniabk key file"));
        CHECK(message.find("aaaaaaaa") == std::string::npos);
    }
    SECTION("empty") { CHECK_THAT(key_file_error((test::write_text(dir / "k", ""), dir / "k")), Catch::Contains("no key line")); }
    SECTION("two keys") {
        const std::string line = key_line(std::string(64, 'b'), "\n");
        test::write_text(dir / "k", line + line);
        CHECK_THAT(key_file_error(dir / "k"), Catch::Contains("more than one"));
    }
    SECTION("huge") {
        test::write_text(dir / "k", std::string(10000, '#'));
        CHECK_THAT(key_file_error(dir / "k"), Catch::Contains("larger"));
    }
    SECTION("comments, blank lines and CRLF are fine") {
        test::write_text(dir / "k", "# mine\r\n\r\n" + key_line(std::string(64, 'C'), "\r\n"));
        CHECK(hex_of(read_key_file(dir / "k")) == std::string(64, 'c'));
    }
}
