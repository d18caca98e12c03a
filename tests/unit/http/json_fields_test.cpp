#include "http/json_fields.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "error_of.hpp"

namespace gridcase::http {
namespace {

using testing::error_of;

using namespace std::chrono_literals;
using domain::Error;
using domain::ErrorCode;
using domain::FieldError;
using nlohmann::json;

FieldError refusal_of(const Error& error) {
  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(error.details().fields.size(), 1U);
  return error.details().fields.empty() ? FieldError{} : error.details().fields.front();
}

TEST(JsonFieldsTest, TypedFieldsAreRead) {
  const json body = json::parse(R"({"name": "路灯", "lat": 40.5, "count": 3, "done": true,
    "at": "2026-11-25T18:00:00+08:00", "tags": ["a", "b"], "list": [1, {}]})");
  JsonFields fields{body};

  EXPECT_EQ(fields.text("name"), "路灯");
  EXPECT_EQ(fields.number("lat"), 40.5);
  EXPECT_EQ(fields.integer("count"), 3);
  EXPECT_EQ(fields.boolean("done"), true);
  EXPECT_EQ(fields.time("at"),
            domain::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 10h});
  EXPECT_EQ(fields.texts("tags"), (std::vector<std::string>{"a", "b"}));
  ASSERT_NE(fields.array("list"), nullptr);
  EXPECT_EQ(fields.array("list")->size(), 2U);
  EXPECT_NO_THROW(fields.finish());
}

TEST(JsonFieldsTest, AbsentAndNullFieldsReadAsAbsent) {
  const json body = json::parse(R"({"name": null})");
  JsonFields fields{body};

  EXPECT_EQ(fields.text("name"), std::nullopt);
  EXPECT_EQ(fields.number("lat"), std::nullopt);
  EXPECT_EQ(fields.texts("tags"), std::nullopt);
  EXPECT_EQ(fields.array("list"), nullptr);
  EXPECT_FALSE(fields.object("reporter").has_value());
  EXPECT_NO_THROW(fields.finish());
}

TEST(JsonFieldsTest, EachWrongTypeIsRefusedWithItsOneWording) {
  const json body = json::parse(R"({"s": 1, "n": "1", "i": 1.5, "b": "yes", "t": "2026-11-25",
    "l": ["a", 1], "a": {}, "o": []})");
  struct Case {
    std::function<void(JsonFields&)> read;
    FieldError expected;
  };
  const std::vector<Case> cases = {
      {[](JsonFields& f) { f.text("s"); }, {"s", "must be a string"}},
      {[](JsonFields& f) { f.number("n"); }, {"n", "must be a number"}},
      {[](JsonFields& f) { f.integer("i"); }, {"i", "must be an integer"}},
      {[](JsonFields& f) { f.boolean("b"); }, {"b", "must be true or false"}},
      {[](JsonFields& f) { f.time("t"); },
       {"t", "must be an RFC 3339 time, e.g. 2026-11-25T10:00:00+08:00"}},
      {[](JsonFields& f) { f.texts("l"); }, {"l", "must be an array of strings"}},
      {[](JsonFields& f) { f.array("a"); }, {"a", "must be an array"}},
      {[](JsonFields& f) { f.object("o"); }, {"o", "must be a JSON object"}},
  };

  for (const Case& one : cases) {
    JsonFields fields{body};
    EXPECT_EQ(refusal_of(error_of([&] { one.read(fields); })), one.expected) << one.expected.field;
  }
}

TEST(JsonFieldsTest, RequiredFieldThatIsAbsentOrNullIsRefusedAsRequired) {
  const json body = json::parse(R"({"username": null})");
  JsonFields fields{body};

  EXPECT_EQ(refusal_of(error_of([&] { fields.required_text("username"); })),
            (FieldError{"username", "required"}));
  EXPECT_EQ(refusal_of(error_of([&] { fields.required_time("started_at"); })),
            (FieldError{"started_at", "required"}));
  EXPECT_EQ(refusal_of(error_of([&] { fields.required_array("features"); })),
            (FieldError{"features", "required"}));
  EXPECT_EQ(refusal_of(error_of([&] { fields.required_object("geometry"); })),
            (FieldError{"geometry", "required"}));
}

TEST(JsonFieldsTest, RequiredFieldOfTheWrongTypeIsRefusedForItsType) {
  const json body = json::parse(R"({"username": 7})");
  JsonFields fields{body};

  EXPECT_EQ(refusal_of(error_of([&] { fields.required_text("username"); })),
            (FieldError{"username", "must be a string"}));
}

TEST(JsonFieldsTest, UnknownFieldIsRefusedByFinishNamingIt) {
  const json body = json::parse(R"({"username": "a", "pasword": "b"})");
  JsonFields fields{body};
  fields.text("username");
  fields.text("password");

  EXPECT_EQ(refusal_of(error_of([&] { fields.finish(); })),
            (FieldError{"pasword", "unknown field"}));
}

TEST(JsonFieldsTest, NestedObjectsNameTheirFieldsByDottedPath) {
  const json body = json::parse(R"({"call": {"started_at": 5, "extra": 1}})");
  JsonFields fields{body};
  std::optional<JsonFields> call = fields.object("call");
  ASSERT_TRUE(call.has_value());

  EXPECT_EQ(refusal_of(error_of([&] { call->time("started_at"); })).field, "call.started_at");
  EXPECT_EQ(refusal_of(error_of([&] { call->finish(); })),
            (FieldError{"call.extra", "unknown field"}));
  EXPECT_EQ(call->item_path("photos", 2), "call.photos[2]");
}

TEST(JsonFieldsTest, BodyThatIsNoObjectIsRefusedAsTheBody) {
  for (const char* text : {"[]", "\"text\"", "1", "null"}) {
    const json body = json::parse(text);

    EXPECT_EQ(refusal_of(error_of([&] { JsonFields fields{body}; })),
              (FieldError{"body", "must be a JSON object"}))
        << text;
  }
}

TEST(JsonFieldsTest, ItemThatIsNoObjectIsRefusedByItsPath) {
  const json item = json::array();

  EXPECT_EQ(refusal_of(error_of([&] { JsonFields fields(item, "working_periods[1]"); })),
            (FieldError{"working_periods[1]", "must be a JSON object"}));
}

TEST(JsonFieldsTest, CollectingReaderRecordsEveryRefusalOnceAndReadsThemAsAbsent) {
  const json feature = json::parse(R"({"properties": {"code": 1, "level": "cell"}})");
  std::vector<FieldError> problems;
  JsonFields fields{feature, "features[0]", problems};

  std::optional<JsonFields> properties = fields.required_object("properties");
  ASSERT_TRUE(properties.has_value());
  EXPECT_EQ(properties->required_text("code"), "");
  EXPECT_EQ(properties->required_text("name"), "");
  EXPECT_EQ(properties->required_text("level"), "cell");
  EXPECT_FALSE(fields.required_object("geometry").has_value());

  EXPECT_EQ(problems, (std::vector<FieldError>{
                          {"features[0].properties.code", "must be a string"},
                          {"features[0].properties.name", "required"},
                          {"features[0].geometry", "required"},
                      }));
}

}  // namespace
}  // namespace gridcase::http
