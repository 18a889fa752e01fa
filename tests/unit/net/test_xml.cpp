#include "base/error.hpp"
#include "net/xml.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace soniabk;

namespace {

std::string error_of(const std::string& document) {
    try {
        parse_xml(document);
    } catch (const Error& e) {
        return e.code();
    }
    return "parsed";
}

}  // namespace

TEST_CASE("xml: an S3 listing reads as elements and their text") {
    const XmlElement root = parse_xml(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>sonia</Name><IsTruncated>true</IsTruncated>
  <Contents><Key>db/a&amp;b.db</Key><Size>12</Size></Contents>
  <Contents><Key>db/c.db</Key><Size>0</Size><Owner/></Contents>
  <NextContinuationToken><![CDATA[1<2]]></NextContinuationToken>
</ListBucketResult>)");
    CHECK(root.name == "ListBucketResult");
    CHECK(root.child_text("IsTruncated") == "true");
    const auto contents = root.children_named("Contents");
    REQUIRE(contents.size() == 2);
    CHECK(contents[0]->child_text("Key") == "db/a&b.db");
    CHECK(contents[1]->child_text("Size") == "0");
    CHECK(contents[1]->child("Owner") != nullptr);
    CHECK(root.child_text("NextContinuationToken") == "1<2");
    CHECK(root.child_text("Missing").empty());
}

TEST_CASE("xml: character references decode to UTF-8") {
    CHECK(parse_xml("<K>&#65;&#x42;&#xE9;&#x20AC;&#x1F600;&lt;&gt;&quot;&apos;</K>").text ==
          "AB\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80<>\"'");
}

TEST_CASE("xml: damaged or hostile documents are invalid_xml, never a partial answer") {
    for (const std::string& bad : std::vector<std::string>{"", "text only", "<a>", "<a></b>", "<a><b></a>", "<a>&bogus;</a>", "<a>&#0;</a>",
                                  "<a>&#x110000;</a>", "<a>&amp</a>", "<a b=\"unterminated></a>", "<a/><b/>",
                                  "<a><![CDATA[open</a>", "< >", std::string(200, '<')}) {
        INFO(bad);
        CHECK(error_of(bad) == "invalid_xml");
    }
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "<a>";
    CHECK(error_of(deep) == "invalid_xml");
}
