#include "arguments.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <string>
#include <vector>

namespace gridcase::app {
namespace {

using Words = std::vector<std::string>;

const ArgumentRules kReportLike{.options = {"--date", "--by"}};
const ArgumentRules kUserLike{
    .options = {"--role", "--name"}, .flags = {"--password-stdin"}, .max_positional = 1};

/// The message Arguments throws for `args`; fails the test when it accepts them.
std::string refusal_of(const Words& args, const ArgumentRules& rules) {
  try {
    [[maybe_unused]] const Arguments arguments{args, rules};
  } catch (const UsageError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted";
  return {};
}

std::optional<int> small_number(const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

TEST(ArgumentsTest, AnOptionTakesTheArgumentAfterIt) {
  const Arguments arguments{{"--date", "2026-11-23", "--by", "street"}, kReportLike};

  EXPECT_EQ(arguments.value("--date"), "2026-11-23");
  EXPECT_EQ(arguments.value("--by"), "street");
  EXPECT_TRUE(arguments.positional().empty());
}

TEST(ArgumentsTest, AnOptionNotGivenHasNoValue) {
  const Arguments arguments{{"--date", "2026-11-23"}, kReportLike};

  EXPECT_EQ(arguments.value("--by"), std::nullopt);
  EXPECT_TRUE(arguments.values("--by").empty());
}

TEST(ArgumentsTest, AnOptionGivenAgainKeepsEveryValueAndTheLastCounts) {
  const Arguments arguments{{"ada", "--role", "admin", "--role", "operator"}, kUserLike};

  EXPECT_EQ(arguments.values("--role"), (Words{"admin", "operator"}));
  EXPECT_EQ(arguments.value("--role"), "operator");
}

TEST(ArgumentsTest, TheValueIsTheNextArgumentWhateverItLooksLike) {
  const Arguments arguments{{"--name", "--password-stdin"}, kUserLike};

  EXPECT_EQ(arguments.value("--name"), "--password-stdin");
  EXPECT_FALSE(arguments.has_flag("--password-stdin"));
}

TEST(ArgumentsTest, AFlagTakesNoValue) {
  const Arguments arguments{{"--password-stdin", "ada"}, kUserLike};

  EXPECT_TRUE(arguments.has_flag("--password-stdin"));
  EXPECT_EQ(arguments.positional(), Words{"ada"});
}

TEST(ArgumentsTest, AnOptionAtTheEndWithoutItsValueIsRefusedNamingIt) {
  EXPECT_EQ(refusal_of({"--date", "2026-11-23", "--by"}, kReportLike), "--by needs a value");
}

TEST(ArgumentsTest, AnUnknownOptionIsRefusedNamingIt) {
  EXPECT_EQ(refusal_of({"--period", "year"}, kReportLike), "unexpected argument --period");
}

TEST(ArgumentsTest, MorePositionalWordsThanTheRulesAllowAreRefused) {
  EXPECT_EQ(refusal_of({"ada", "bob"}, kUserLike), "unexpected argument bob");
  EXPECT_EQ(refusal_of({"now"}, kReportLike), "unexpected argument now");
}

TEST(ArgumentsTest, NoArgumentsAreRefusedByACommandThatTakesNone) {
  EXPECT_NO_THROW(require_no_arguments({}));
  EXPECT_THROW(require_no_arguments({"now"}), UsageError);
}

TEST(ArgumentsTest, PassThroughKeepsWhatTheRulesDoNotNameInOrder) {
  const Arguments arguments{
      {"report", "--config", "a.json", "--date", "2026-11-23", "-h"},
      {.options = {"--config"}, .flags = {"-h", "--help"}, .pass_through = true}};

  EXPECT_EQ(arguments.value("--config"), "a.json");
  EXPECT_TRUE(arguments.has_flag("-h"));
  EXPECT_EQ(arguments.positional(), (Words{"report", "--date", "2026-11-23"}));
}

TEST(ArgumentsTest, AParsedValueIsWhatTheParserReadFromTheLastValue) {
  const Arguments arguments{{"--by", "7", "--by", "12"}, kReportLike};

  EXPECT_EQ(arguments.parsed("--by", small_number), 12);
  EXPECT_EQ(arguments.parsed("--date", small_number), std::nullopt);
}

TEST(ArgumentsTest, AValueTheParserCannotReadIsRefusedNamingOptionAndValue) {
  const Arguments arguments{{"--by", "road"}, kReportLike};

  try {
    arguments.parsed("--by", small_number);
    ADD_FAILURE() << "accepted";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()), "--by road: not a valid value");
  }
}

}  // namespace
}  // namespace gridcase::app
