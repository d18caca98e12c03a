#include "http/json_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace gridcase::http {
namespace {

TEST(JsonWriterTest, WritesWhatAParserReadsBack) {
  std::string text;
  JsonWriter out{text};
  out.begin_object()
      .member("name", "昆都仑 \"区\"\\\n\t\x01")
      .member("count", std::int64_t{-42})
      .member("big", std::numeric_limits<std::int64_t>::max())
      .member("rate", 0.1)
      .member("third", 1.0 / 3)
      .member("none", std::optional<double>{})
      .member("some", std::optional<int>{7})
      .key("list")
      .begin_array()
      .value(1)
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .null()
      .end_array()
      .end_object();

  const nlohmann::json parsed = nlohmann::json::parse(text);
  EXPECT_EQ(parsed.at("name"), "昆都仑 \"区\"\\\n\t\x01");
  EXPECT_EQ(parsed.at("count"), -42);
  EXPECT_EQ(parsed.at("big"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parsed.at("rate").get<double>(), 0.1);
  EXPECT_EQ(parsed.at("third").get<double>(), 1.0 / 3);
  EXPECT_TRUE(parsed.at("none").is_null());
  EXPECT_EQ(parsed.at("some"), 7);
  EXPECT_EQ(parsed.at("list"), nlohmann::json::parse("[1, {}, [], null]"));
}

TEST(JsonWriterTest, ANumberThatIsNotFiniteIsNull) {
  std::string text;
  JsonWriter out{text};
  out.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .end_array();
  EXPECT_EQ(text, "[null,null]");
}

TEST(JsonWriterTest, ControlCharactersAreEscaped) {
  std::string text;
  JsonWriter{text}.value(std::string_view{"a\x1f\x00z", 4});
  EXPECT_EQ(text, "\"a\\u001f\\u0000z\"");
}

}  // namespace
}  // namespace gridcase::http
