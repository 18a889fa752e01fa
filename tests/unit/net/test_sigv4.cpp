#include "io/hash.hpp"
#include "net/sigv4.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace soniabk;

namespace {

constexpr const char* empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// AWS's Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
const SigV4Credentials suite_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "us-east-1",
                                         "service"};
const TimePoint suite_time = *parse_iso8601("2015-08-30T12:36:00Z");
const std::string suite_scope = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n";

// The S3 API reference's examples of signing with the Authorization header (sig-v4-header-based-auth.html).
const SigV4Credentials s3_credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "",
                                      "us-east-1"};
const TimePoint s3_time = *parse_iso8601("2013-05-24T00:00:00Z");
const std::string s3_scope = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n";

// Every suite request goes to one host; the signer adds X-Amz-Date, which the suite's requests carry.
SigV4Request suite_request(std::string method, std::vector<HttpField> query, std::vector<HttpField> headers = {}) {
    headers.insert(headers.begin(), {"Host", "example.amazonaws.com"});
    return {std::move(method), "/", std::move(query), std::move(headers), empty_sha256};
}

SigV4Request s3_request(std::string method, std::string path, std::vector<HttpField> query,
                        std::vector<HttpField> headers = {}, std::string payload_sha256 = empty_sha256) {
    headers.insert(headers.begin(), {"Host", "examplebucket.s3.amazonaws.com"});
    return {std::move(method), std::move(path), std::move(query), std::move(headers), std::move(payload_sha256)};
}

std::string sha256_of(const std::string& body) {
    Sha256 sha;
    sha.update(body.data(), body.size());
    return sha.hex_digest();
}

void check_signed(const SigV4Signature& got, const std::string& canonical_request, const std::string& string_to_sign,
                  const std::string& signature) {
    CHECK(got.canonical_request == canonical_request);
    CHECK(got.string_to_sign == string_to_sign);
    CHECK(got.signature == signature);
}

}  // namespace

TEST_CASE("sigv4: AWS test suite get-vanilla, and the headers to add") {
    const SigV4Signature got = sign_sigv4(suite_request("GET", {}), suite_credentials, suite_time);
    check_signed(got,
                 "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 suite_scope + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
                 "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    const std::string authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    CHECK(got.authorization == authorization);
    // Only S3 is sent the payload's hash as a header.
    CHECK(got.headers == std::vector<HttpField>{{"Authorization", authorization}, {"x-amz-date", "20150830T123600Z"}});
}

TEST_CASE("sigv4: AWS test suite query parameters are sorted by name, then value") {
    SECTION("get-vanilla-query-order-key-case") {
        const auto got = sign_sigv4(suite_request("GET", {{"Param2", "value2"}, {"Param1", "value1"}}),
                                    suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                     "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
                     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }
    SECTION("get-vanilla-query-order-key") {
        const auto got = sign_sigv4(suite_request("GET", {{"Param1", "value2"}, {"Param1", "Value1"}}),
                                    suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                     "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
                     "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
    }
    SECTION("get-vanilla-empty-query-key") {
        const auto got = sign_sigv4(suite_request("GET", {{"Param1", "value1"}}), suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                     "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
                     "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb");
    }
}

TEST_CASE("sigv4: AWS test suite query encoding keeps the unreserved bytes and escapes the rest") {
    const std::string unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    SECTION("get-vanilla-query-unreserved") {
        const auto got = sign_sigv4(suite_request("GET", {{unreserved, unreserved}}), suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\n" + unreserved + "=" + unreserved +
                         "\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                         "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
                     "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
    }
    SECTION("get-vanilla-utf8-query") {
        const auto got = sign_sigv4(suite_request("GET", {{"\xE1\x88\xB4", "bar"}}), suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                     "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
                     "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
    }
}

// The suite's .creq of this case signs Content-Length too, but its .sts, .authz and signature were made without.
TEST_CASE("sigv4: AWS test suite post-x-www-form-urlencoded signs the body's hash") {
    SigV4Request request = suite_request("POST", {}, {{"Content-Type", "application/x-www-form-urlencoded"}});
    request.payload_sha256 = sha256_of("Param1=value1");
    check_signed(sign_sigv4(request, suite_credentials, suite_time),
                 "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
                 "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                 "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                 suite_scope + "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
                 "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST_CASE("sigv4: AWS test suite header values are trimmed and repeated names joined") {
    SECTION("get-header-value-trim") {
        const auto got = sign_sigv4(
            suite_request("GET", {}, {{"My-Header1", " value1 "}, {"My-Header2", " \"a   b   c\""}}),
            suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                     "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
                     "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }
    SECTION("get-header-key-duplicate") {
        const auto got = sign_sigv4(
            suite_request("GET", {}, {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}),
            suite_credentials, suite_time);
        check_signed(got,
                     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n"
                     "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     suite_scope + "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
                     "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    }
}

TEST_CASE("sigv4: AWS test suite post-sts-header-before signs and adds the session token") {
    const std::string token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
        "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6"
        "fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabI"
        "Qwj2ICCR/oLxBA==";
    SigV4Credentials credentials = suite_credentials;
    credentials.session_token = token;
    const auto got = sign_sigv4(suite_request("POST", {}), credentials, suite_time);
    check_signed(got,
                 "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + token +
                     "\n\nhost;x-amz-date;x-amz-security-token\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 suite_scope + "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
                 "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
    CHECK(got.headers.back() == HttpField{"x-amz-security-token", token});
}

TEST_CASE("sigv4: S3 GET object with a Range header") {
    const auto got = sign_sigv4(s3_request("GET", "/test.txt", {}, {{"Range", "bytes=0-9"}}), s3_credentials, s3_time);
    check_signed(got,
                 "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                 "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                 "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 s3_scope + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
                 "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    CHECK(got.headers == std::vector<HttpField>{{"Authorization", got.authorization},
                                                {"x-amz-date", "20130524T000000Z"},
                                                {"x-amz-content-sha256", empty_sha256}});
}

TEST_CASE("sigv4: S3 PUT object escapes the key's reserved bytes") {
    const std::string body_sha256 = sha256_of("Welcome to Amazon S3.");
    const auto got = sign_sigv4(s3_request("PUT", "/test$file.text", {},
                                           {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                            {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                                           body_sha256),
                                s3_credentials, s3_time);
    check_signed(got,
                 "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\n"
                 "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
                 "x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
                 "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
                 "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                 s3_scope + "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
                 "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST_CASE("sigv4: S3 GET bucket lifecycle and ListObjects") {
    SECTION("a valueless ?lifecycle is signed as lifecycle=") {
        const auto got = sign_sigv4(s3_request("GET", "/", {{"lifecycle", ""}}), s3_credentials, s3_time);
        check_signed(got,
                     "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"
                     "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                     "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     s3_scope + "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
                     "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    }
    SECTION("ListObjects with unsorted parameters") {
        const auto got =
            sign_sigv4(s3_request("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}), s3_credentials, s3_time);
        check_signed(got,
                     "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
                     "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                     "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     s3_scope + "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
                     "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }
}

TEST_CASE("sigv4: a multipart upload's valueless uploads parameter is signed as uploads=") {
    const auto got = sign_sigv4(s3_request("POST", "/big file.bin", {{"uploads", ""}}), s3_credentials, s3_time);
    CHECK(got.canonical_request.starts_with("POST\n/big%20file.bin\nuploads=\nhost:examplebucket.s3.amazonaws.com\n"));
}

TEST_CASE("sigv4: URI encoding escapes all but the unreserved bytes, in uppercase hex") {
    CHECK(sigv4_uri_encode("a b/c$+=&~-_.", Slash::kept) == "a%20b/c%24%2B%3D%26~-_.");
    CHECK(sigv4_uri_encode("a b/c", Slash::encoded) == "a%20b%2Fc");
    CHECK(sigv4_uri_encode("\xE1\x88\xB4", Slash::encoded) == "%E1%88%B4");
}

TEST_CASE("sigv4: a request that cannot be signed is refused") {
    SigV4Request request = s3_request("GET", "/key", {});
    SECTION("without Host") {
        request.headers.clear();
        CHECK_THROWS_WITH(sign_sigv4(request, s3_credentials, s3_time), Catch::Contains("no Host header"));
    }
    SECTION("with a header the signature adds") {
        request.headers.emplace_back("X-Amz-Date", "20130524T000000Z");
        CHECK_THROWS_WITH(sign_sigv4(request, s3_credentials, s3_time), Catch::Contains("already carries x-amz-date"));
    }
    SECTION("with a relative path") {
        request.path = "key";
        CHECK_THROWS_WITH(sign_sigv4(request, s3_credentials, s3_time), Catch::Contains("not absolute"));
    }
    SECTION("without the payload's hash") {
        request.payload_sha256.clear();
        CHECK_THROWS_WITH(sign_sigv4(request, s3_credentials, s3_time), Catch::Contains("SHA-256 is missing"));
    }
}
