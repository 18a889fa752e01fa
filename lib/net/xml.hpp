// A small reader for the XML documents S3 answers with (listings, upload ids, errors): elements and their
// text, attributes and namespaces ignored. Hostile input fails with `invalid_xml`, never crashes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

struct XmlElement {
    std::string name;
    std::string text;  // the character data directly inside, entities decoded
    std::vector<XmlElement> children;

    // The first child called `name`, or null.
    const XmlElement* child(std::string_view name) const;
    // The text of the first child called `name`, or empty.
    std::string child_text(std::string_view name) const;
    std::vector<const XmlElement*> children_named(std::string_view name) const;
};

// The document's root element. Throws `invalid_xml` naming what is wrong.
XmlElement parse_xml(std::string_view document);

}  // namespace soniabk
