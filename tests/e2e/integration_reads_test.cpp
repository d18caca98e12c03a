// An integration reads the public fields of the cases it submitted, and no other case (issue 16,
// domain.md §5): one by one (any other case answers as a missing one) and listed (only its own),
// without the reporter in full, staff names, internal notes or photos; a reply's answer it sees.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class IntegrationReadsTest : public DemoServerTest {};

std::string filed_by_the_integration(unsigned short port) {
  const HttpResponse received = post_case(port, case_intake_body("web"), "integration");
  EXPECT_EQ(received.status, 201U) << received.body;
  return json_of(received).value("case_no", "");
}

TEST_F(IntegrationReadsTest, ItReadsItsOwnCaseAndAnyOtherAnswersAsAMissingOne) {
  const std::string own = filed_by_the_integration(port());
  const std::string others = create_case(port(), case_intake_body("web"));

  const HttpResponse own_read = get_as(port(), "/api/v1/cases/" + own, "integration");
  const HttpResponse others_read = get_as(port(), "/api/v1/cases/" + others, "integration");
  const HttpResponse missing =
      get_as(port(), "/api/v1/cases/150203-20200101-999999", "integration");

  ASSERT_EQ(own_read.status, 200U) << own_read.body;
  EXPECT_EQ(json_of(own_read).at("case_no"), own);
  EXPECT_TRUE(is_problem(others_read, 404)) << others_read.body;
  EXPECT_TRUE(is_problem(missing, 404)) << missing.body;
}

TEST_F(IntegrationReadsTest, ItListsOnlyTheCasesItSubmitted) {
  const std::string own = filed_by_the_integration(port());
  create_case(port(), case_intake_body("web"));  // the operator's: never in the integration's list

  const HttpResponse listed = get_as(port(), "/api/v1/cases?limit=200", "integration");

  ASSERT_EQ(listed.status, 200U) << listed.body;
  const json items = json_of(listed).at("items");
  ASSERT_FALSE(items.empty());
  bool saw_own = false;
  for (const json& item : items) {
    const HttpResponse one =
        get_as(port(), "/api/v1/cases/" + item.at("case_no").get<std::string>(), "operator");
    EXPECT_EQ(json_of(one).at("received_by"), "integration") << item;
    saw_own = saw_own || item.at("case_no") == own;
  }
  EXPECT_TRUE(saw_own);
}

TEST_F(IntegrationReadsTest, ItSeesThePublicFieldsAndTheReplyButNoStaffOrInternalNote) {
  const std::string case_no = filed_by_the_integration(port());
  for (const LifecycleStep& step :
       steps_to_reply("您反映的问题已处理完毕", "内部:先联系城管中队")) {
    const HttpResponse response = post_action(port(), case_no, step.action, step.body, step.role);
    ASSERT_EQ(response.status, 200U) << step.action << ": " << response.body;
  }

  const HttpResponse read = get_as(port(), "/api/v1/cases/" + case_no, "integration");

  ASSERT_EQ(read.status, 200U) << read.body;
  const json shown = json_of(read);
  EXPECT_EQ(shown.at("status"), "replied");
  EXPECT_TRUE(shown.at("assignee").is_null()) << shown.at("assignee");
  for (const char* officer : {"grid_officer", "road_chief"}) {
    if (shown.at(officer).is_object()) {
      EXPECT_FALSE(shown.at(officer).contains("name") || shown.at(officer).contains("phone"));
    }
  }
  const json reporter = shown.at("reporter");
  ASSERT_TRUE(reporter.is_object()) << shown;
  EXPECT_NE(reporter.at("phone").get<std::string>().find('*'), std::string::npos) << reporter;
  std::vector<std::string> actions;
  for (const json& event : shown.at("events")) {
    actions.push_back(event.at("action").get<std::string>());
    EXPECT_FALSE(event.contains("actor") || event.contains("params") ||
                 event.contains("attachments"))
        << event;
    if (event.at("action") == "reply") {
      EXPECT_EQ(event.at("note"), "您反映的问题已处理完毕");
    } else {
      EXPECT_FALSE(event.contains("note")) << event;
    }
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"receive", "register", "dispatch", "acknowledge",
                                               "complete", "check", "reply"}));
  EXPECT_EQ(read.body.find("内部"), std::string::npos) << "no internal note reaches it";
}

TEST_F(IntegrationReadsTest, ItStillReadsNoLiveFeedReportOrSuggestions) {
  const std::string own = filed_by_the_integration(port());

  for (const std::string& target :
       {std::string{"/api/v1/reports"}, "/api/v1/cases/" + own + "/suggestions"}) {
    EXPECT_TRUE(is_problem(get_as(port(), target, "integration"), 403)) << target;
  }
}

}  // namespace
}  // namespace gridcase::testing
