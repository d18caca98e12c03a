#include "http/xml_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace gridcase::http {
namespace {

TEST(XmlEscapeTest, EscapesTheFiveSpecialCharactersAndKeepsChineseText) {
  EXPECT_EQ(xml_escape(R"(<&>"')"), "&lt;&amp;&gt;&quot;&apos;");
  EXPECT_EQ(xml_escape("昆都仑区 <暴露垃圾> & \"井盖\""),
            "昆都仑区 &lt;暴露垃圾&gt; &amp; &quot;井盖&quot;");
}

TEST(XmlEscapeTest, LeavesOutControlCharactersXmlDoesNotAllowAndKeepsWhitespace) {
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b\x1f"
                                   "c\td\ne\rf",
                                   11)),
            "abc\td\ne\rf");
}

TEST(XmlWriterTest, WritesTheDeclarationNestedElementsAndEscapedText) {
  XmlWriter xml;
  xml.open("errors")
      .open("error")
      .element("code", "400")
      .element("description", "地址 <a href='x'> & more")
      .close()
      .close();

  EXPECT_EQ(xml.finish(),
            R"(<?xml version="1.0" encoding="UTF-8"?><errors><error><code>400</code>)"
            R"(<description>地址 &lt;a href=&apos;x&apos;&gt; &amp; more</description>)"
            R"(</error></errors>)");
}

TEST(XmlWriterTest, EmptyOrMissingTextIsAnEmptyElement) {
  XmlWriter xml;
  xml.open("request").element("status_notes", "").element("address", std::optional<std::string>{});
  xml.close();

  EXPECT_EQ(xml.finish(), R"(<?xml version="1.0" encoding="UTF-8"?><request>)"
                          R"(<status_notes/><address/></request>)");
}

TEST(XmlWriterTest, AnElementLeftOpenOrClosedTwiceIsAProgrammingError) {
  XmlWriter left_open;
  left_open.open("services");
  EXPECT_THROW(left_open.finish(), std::logic_error);
  XmlWriter closed_twice;
  EXPECT_THROW(closed_twice.close(), std::logic_error);
}

}  // namespace
}  // namespace gridcase::http
