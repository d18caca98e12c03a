#include "gridcase/domain/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridcase::domain {
namespace {

TEST(ControlCharactersTest, C0DelAndC1AreControlsLineBreaksOnlyWhenAllowed) {
  for (const std::string& text :
       {std::string("a\0b", 3), std::string("\x07"), std::string("\x1b[2J"), std::string("\x7f"),
        std::string("\xC2\x80"), std::string("x\xC2\x9B")}) {
    EXPECT_TRUE(has_control_characters(text)) << text;
    EXPECT_TRUE(has_control_characters(text, true)) << text;
  }
  for (const std::string& text :
       {std::string("a\nb"), std::string("a\r\nb"), std::string("a\tb")}) {
    EXPECT_TRUE(has_control_characters(text)) << text;
    EXPECT_FALSE(has_control_characters(text, true)) << text;
  }
}

TEST(ControlCharactersTest, UnicodeTextHasNone) {
  EXPECT_FALSE(
      has_control_characters("路口 \xF0\x9F\x9A\xA7 cafe\xCC\x81 \xC2\xA0 \xE2\x80\xA8 \xC3\x85"));
  EXPECT_FALSE(has_control_characters(""));
}

TEST(Utf8LengthTest, CountsCodePointsOfEveryWidth) {
  EXPECT_EQ(utf8_length("a\xC3\xA9\xE8\xB7\xAF\xF0\x9F\x9A\xA7"), 4U);
  EXPECT_EQ(utf8_length("\xF4\x8F\xBF\xBF"), 1U) << "U+10FFFF";
}

TEST(Utf8LengthTest, RefusesWhatPostgresqlRefuses) {
  for (const char* text : {"\xFF", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                           "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xE8\xB7"}) {
    EXPECT_FALSE(utf8_length(text).has_value()) << testing::PrintToString(std::string(text));
  }
}

}  // namespace
}  // namespace gridcase::domain
