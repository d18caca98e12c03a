#include "gridcase/domain/open311.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using testing::error_of;
using testing::first_field;

const Timestamp kNow{std::chrono::sys_days{std::chrono::year{2026} / 12 / 3} + 8h};

TEST(Open311FormatTest, AJsonOrXmlSuffixNamesTheFormat) {
  EXPECT_EQ(split_open311_format("requests.json")->name, "requests");
  EXPECT_EQ(split_open311_format("requests.json")->format, Open311Format::kJson);
  EXPECT_EQ(split_open311_format("event:0101.xml")->name, "event:0101");
  EXPECT_EQ(split_open311_format("event:0101.xml")->format, Open311Format::kXml);
  EXPECT_EQ(split_open311_format("a.b.xml")->name, "a.b");
}

TEST(Open311FormatTest, NoOrAnotherSuffixOrAnEmptyNameIsNoResource) {
  for (const char* file : {"requests", "requests.", "requests.yaml", ".json", "requests.JSON",
                           "requests.json.txt", ""}) {
    EXPECT_FALSE(split_open311_format(file).has_value()) << file;
  }
}

TEST(Open311WindowTest, WithoutDatesTheWindowIsTheLastNinetyDays) {
  const Open311Window window = open311_window(std::nullopt, std::nullopt, kNow);

  EXPECT_EQ(window.start, kNow - std::chrono::days{90});
  EXPECT_EQ(window.end, kNow);
}

TEST(Open311WindowTest, OneDateGivenSpansNinetyDaysFromOrUpToIt) {
  const Timestamp start = kNow - std::chrono::days{200};

  EXPECT_EQ(open311_window(start, std::nullopt, kNow).end, start + std::chrono::days{90});
  EXPECT_EQ(open311_window(std::nullopt, start, kNow).start, start - std::chrono::days{90});
}

TEST(Open311WindowTest, BothDatesAreKeptUpToExactlyNinetyDays) {
  const Timestamp start = kNow - std::chrono::days{90};

  const Open311Window window = open311_window(start, kNow, kNow);

  EXPECT_EQ(window.start, start);
  EXPECT_EQ(window.end, kNow);
  EXPECT_EQ(open311_window(kNow, kNow, kNow).start, kNow);
}

TEST(Open311WindowTest, AWindowOverNinetyDaysIsMalformedOnEndDate) {
  const Error error =
      error_of([] { open311_window(kNow - std::chrono::days{90} - 1ms, kNow, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "end_date");
}

TEST(Open311WindowTest, AnEndBeforeTheStartIsMalformedOnEndDate) {
  const Error error = error_of([] { open311_window(kNow, kNow - 1ms, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "end_date");
}

TEST(Open311RequestIdsTest, ACommaListOfCaseNumbersIsReadOnceEach) {
  EXPECT_EQ(parse_open311_request_ids("150203-20261125-000042,150203-20261125-000043,"
                                      "150203-20261125-000042"),
            (std::vector<std::string>{"150203-20261125-000042", "150203-20261125-000043"}));
}

TEST(Open311RequestIdsTest, AnythingButCaseNumbersIsMalformed) {
  for (const char* text : {"", "42", "150203-20261125-000042,", ",150203-20261125-000042",
                           "150203-20261125-000042 ", "150203-20261125-00004x"}) {
    const Error error = error_of([text] { parse_open311_request_ids(text); });
    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << text;
    EXPECT_EQ(first_field(error), "service_request_id") << text;
  }
}

TEST(Open311RequestIdsTest, MoreThanThePageCapIsMalformed) {
  std::string text;
  for (int i = 0; i <= kOpen311PageCap; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "150203-20261125-%06d", i);
    text += (text.empty() ? "" : ",") + std::string(id);
  }

  EXPECT_EQ(error_of([&text] { parse_open311_request_ids(text); }).code(), ErrorCode::kMalformed);
}

TEST(Open311StatusTest, RejectedAndClosedAreClosedAndEveryOtherStateIsOpen) {
  for (const CaseStatus status : kAllCaseStatuses) {
    const bool closed = status == CaseStatus::kRejected || status == CaseStatus::kClosed;
    EXPECT_EQ(open311_status(status), closed ? "closed" : "open") << to_string(status);
  }
}

TEST(Open311StatusTest, AFilterIsOpenClosedOrBoth) {
  EXPECT_TRUE(parse_open311_status("open").open);
  EXPECT_FALSE(parse_open311_status("open").closed);
  EXPECT_TRUE(parse_open311_status("closed").closed);
  EXPECT_FALSE(parse_open311_status("closed").open);
  EXPECT_TRUE(parse_open311_status("closed,open").open);
  for (const char* text : {"", "Open", "open,", "resolved", "open;closed"}) {
    EXPECT_EQ(first_field(error_of([text] { parse_open311_status(text); })), "status") << text;
  }
}

}  // namespace
}  // namespace gridcase::domain
