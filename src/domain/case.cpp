#include "gridcase/domain/case.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "case_action_steps.hpp"
#include "gridcase/domain/attachment.hpp"
#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/enum_names.hpp"
#include "gridcase/domain/text.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

using A = CaseAction;

constexpr EnumNames<Channel, 10> kChannelNames{{
    {Channel::kHotline12319, "hotline_12319"},
    {Channel::kHotline12345, "hotline_12345"},
    {Channel::kMayorMailbox, "mayor_mailbox"},
    {Channel::kMayorHotline, "mayor_hotline"},
    {Channel::kPatrol, "patrol"},
    {Channel::kVideo, "video"},
    {Channel::kEnvInspection, "env_inspection"},
    {Channel::kPetition, "petition"},
    {Channel::kWeb, "web"},
    {Channel::kApp, "app"},
}};
static_assert(covers_every_value(kChannelNames));
static_assert(lists_every_value(kAllChannels, kChannelNames));

constexpr EnumNames<CaseOutcome, 3> kCaseOutcomeNames{{
    {CaseOutcome::kResolved, "resolved"},
    {CaseOutcome::kRejected, "rejected"},
    {CaseOutcome::kMerged, "merged"},
}};
static_assert(covers_every_value(kCaseOutcomeNames));

/// Collects problems in two kinds: missing (400) and invalid (422), thrown in that order.
struct Problems {
  std::vector<FieldError> missing;
  std::vector<FieldError> invalid;

  void require(bool present, const std::string& field) {
    if (!present) missing.push_back({field, "required"});
  }
  void text(const std::optional<std::string>& value, const std::string& field,
            std::size_t max_chars, bool required) {
    if (!value) {
      require(!required, field);
      return;
    }
    const std::optional<std::size_t> length = utf8_length(*value);
    if (!length) {
      invalid.push_back({field, "not valid UTF-8"});
    } else if (required && *length == 0) {
      missing.push_back({field, "required"});
    } else if (*length > max_chars) {
      invalid.push_back({field, "at most " + std::to_string(max_chars) + " characters"});
    } else if (has_control_characters(*value, true)) {
      invalid.push_back({field, "contains control characters"});
    }
  }
  void urls(const std::vector<std::string>& list, const std::string& field) {
    if (list.size() > kMaxPhotos) {
      invalid.push_back({field, "at most " + std::to_string(kMaxPhotos) + " photos"});
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!is_web_url(list[i]) && !is_attachment_id(list[i])) {
        invalid.push_back(
            {field + "[" + std::to_string(i) + "]", "an http(s) URL or an attachment id"});
      }
    }
  }
  void throw_if_any(const std::string& what) {
    if (!missing.empty()) {
      throw Error(ErrorCode::kMalformed, what + ": required fields are missing",
                  {.fields = std::move(missing)});
    }
    if (!invalid.empty()) {
      throw Error(ErrorCode::kInvalidValue, what + ": invalid values",
                  {.fields = std::move(invalid)});
    }
  }
};

bool is_phone(std::string_view phone) {
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char ch = phone[i];
    if (ch >= '0' && ch <= '9') {
      ++digits;
    } else if (!(ch == '-' || ch == ' ' || (ch == '+' && i == 0))) {
      return false;
    }
  }
  return digits >= 3 && digits <= 20;
}

}  // namespace

std::string_view to_string(Channel channel) { return name_of(kChannelNames, channel); }

std::optional<Channel> parse_channel(std::string_view text) {
  return value_named(kChannelNames, text);
}

std::string_view to_string(CaseOutcome outcome) { return name_of(kCaseOutcomeNames, outcome); }

std::optional<CaseOutcome> parse_case_outcome(std::string_view text) {
  return value_named(kCaseOutcomeNames, text);
}

bool is_hotline(Channel channel) {
  return channel == Channel::kHotline12319 || channel == Channel::kHotline12345 ||
         channel == Channel::kMayorHotline;
}

bool is_web_url(std::string_view text) {
  const bool scheme = text.starts_with("https://") || text.starts_with("http://");
  const std::size_t host_at = text.find("://") + 3;
  return scheme && text.size() <= kMaxUrlChars && host_at < text.size() && text[host_at] != '/' &&
         std::none_of(text.begin(), text.end(), [](char ch) {
           const auto byte = static_cast<unsigned char>(ch);
           return byte <= 0x20 || byte == 0x7F;
         });
}

bool has_reporter_to_answer(Channel channel, const std::optional<Reporter>& reporter) {
  if (channel == Channel::kPatrol || channel == Channel::kVideo) return false;
  return reporter && (reporter->phone || reporter->name);
}

bool is_case_number(std::string_view text) {
  if (text.size() != 6 + 1 + 8 + 1 + 6 || text[6] != '-' || text[15] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 6 || i == 15) continue;
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

void check_point(const std::optional<Point>& point, Problems& problems) {
  if (!point) return;
  if (!(point->lon >= -180 && point->lon <= 180))
    problems.invalid.push_back({"lon", "between -180 and 180"});
  if (!(point->lat >= -90 && point->lat <= 90))
    problems.invalid.push_back({"lat", "between -90 and 90"});
}

void attribute_patrol_report(NewCase& intake, const Actor& actor) {
  if (intake.channel != Channel::kPatrol || actor.acting_as != Role::kOfficer ||
      actor.scope.kind != ScopeKind::kOfficer) {
    return;
  }
  if (!intake.officer_code) {
    intake.officer_code = actor.scope.code;
  } else if (*intake.officer_code != actor.scope.code) {
    throw_invalid("officer",
                  "an officer reports patrol cases as themselves (" + actor.scope.code + ")");
  }
}

void require_valid(const NewCase& intake, Timestamp now) {
  Problems problems;
  problems.text(intake.description, "description", kMaxDescriptionChars, true);
  problems.text(intake.address, "address", kMaxAddressChars, false);
  if (!intake.point && !intake.address) {
    problems.missing.push_back({"lon", "lon/lat or address required"});
  }
  check_point(intake.point, problems);
  if (intake.category_key && !is_category_key(*intake.category_key)) {
    problems.invalid.push_back({"category", "type:code, e.g. event:0101"});
  }
  if (intake.occurred_at && *intake.occurred_at > now + std::chrono::minutes{5}) {
    problems.invalid.push_back({"occurred_at", "in the future"});
  }
  problems.urls(intake.photos, "photos");
  if (intake.reporter) {
    problems.text(intake.reporter->name, "reporter.name", 50, false);
    if (intake.reporter->phone && !is_phone(*intake.reporter->phone)) {
      problems.invalid.push_back({"reporter.phone", "digits, with optional +, - and spaces"});
    }
  }
  if (is_hotline(intake.channel)) {
    // A phone to call back, not a name: anonymous callers are common (issue 14).
    problems.require(intake.reporter && intake.reporter->phone, "reporter.phone");
    problems.require(intake.call.has_value(), "call");
    if (intake.call) {
      problems.text(intake.call->operator_name, "call.operator", 50, true);
      if (intake.call->started_at > now + std::chrono::minutes{5}) {
        problems.invalid.push_back({"call.started_at", "in the future"});
      }
      if (intake.call->ended_at && *intake.call->ended_at < intake.call->started_at) {
        problems.invalid.push_back({"call.ended_at", "before call.started_at"});
      }
    }
  }
  if (intake.channel == Channel::kPatrol) {
    problems.text(intake.officer_code, "officer", 32, true);
    if (intake.photos.empty())
      problems.missing.push_back({"photos", "a patrol report needs at least one photo"});
  }
  if (intake.channel == Channel::kMayorMailbox) {
    problems.require(intake.letter.has_value(), "letter");
    if (intake.letter) {
      problems.text(intake.letter->subject, "letter.subject", 200, true);
      problems.text(intake.letter->body, "letter.body", kMaxLetterChars, true);
    }
  }
  problems.throw_if_any("the case");
}

namespace {

/// Every problem of an action's parameters: missing ones (400) and values that make no sense (422).
Problems action_problems(CaseAction action, const ActionInput& input) {
  Problems problems;
  problems.text(input.note, "note", kMaxNoteChars, false);
  problems.text(input.reason, "reason", kMaxNoteChars, false);
  problems.urls(input.attachments, "attachments");
  auto require_text = [&](const std::optional<std::string>& value, const char* field) {
    problems.require(value && !value->empty(), field);
  };
  auto one_of = [&](const std::optional<std::string>& value, const char* field,
                    std::initializer_list<std::string_view> allowed) {
    if (value && std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
      std::string list;
      for (std::string_view option : allowed)
        list += (list.empty() ? "" : ", ") + std::string(option);
      problems.invalid.push_back({field, "one of " + list});
    }
  };
  switch (action) {
    case A::kLocate:
      if (!input.point && !input.address)
        problems.missing.push_back({"lon", "lon/lat or address required"});
      check_point(input.point, problems);
      problems.text(input.address, "address", kMaxAddressChars, false);
      break;
    case A::kVerify:
      require_text(input.result, "result");
      one_of(input.result, "result", {"confirmed", "not_found"});
      if (input.attachments.empty())
        problems.missing.push_back({"attachments", "a photo of the site"});
      break;
    case A::kRegister:
      require_text(input.category, "category");
      require_text(input.condition, "condition");
      if (input.category && !is_category_key(*input.category)) {
        problems.invalid.push_back({"category", "type:code, e.g. event:0101"});
      }
      break;
    case A::kReject:
    case A::kReturn:
    case A::kRequestExtension:
    case A::kRework:
    case A::kReopen:
      require_text(input.reason, "reason");
      break;
    case A::kRequestSuspension:
      require_text(input.reason, "reason");
      problems.require(input.until.has_value(), "until");
      break;
    case A::kDispatch:
    case A::kReassign:
      require_text(input.unit, "unit");
      problems.text(input.assignee, "assignee", 50, false);
      break;
    case A::kAcknowledge:  // the unit may name who of its staff handles it
      problems.text(input.assignee, "assignee", 50, false);
      break;
    case A::kComplete:  // 处置反馈: "note and photos" (domain.md §6)
      require_text(input.note, "note");
      if (input.attachments.empty())
        problems.missing.push_back({"attachments", "a photo of the work done"});
      break;
    case A::kReply:
      require_text(input.note, "note");
      break;
    case A::kCheck:
      require_text(input.result, "result");
      one_of(input.result, "result", {"passed", "failed"});
      break;
    case A::kCallback:
      problems.require(input.reached.has_value(), "reached");
      if (input.reached.value_or(false)) require_text(input.satisfaction, "satisfaction");
      one_of(input.satisfaction, "satisfaction",
             {"satisfied", "basically_satisfied", "dissatisfied"});
      break;
    case A::kMerge:
      require_text(input.into, "into");
      if (input.into && !is_case_number(*input.into))
        problems.invalid.push_back({"into", "a case number"});
      break;
    case A::kReceive:
      problems.invalid.push_back({"action", "cases are received with POST /api/v1/cases"});
      break;
    case A::kRequestVerification:
    case A::kWithdrawVerification:
    case A::kUrge:
    case A::kApproveExtension:
    case A::kDenyExtension:
    case A::kSuspend:
    case A::kResume:
    case A::kClose:
      break;
  }
  return problems;
}

}  // namespace

void require_valid(CaseAction action, const ActionInput& input) {
  action_problems(action, input).throw_if_any(std::string(to_string(action)));
}

void require_complete(CaseAction action, const ActionInput& input) {
  Problems problems = action_problems(action, input);
  problems.invalid.clear();
  problems.throw_if_any(std::string(to_string(action)));
}

void require_sensible(CaseAction action, const ActionInput& input) {
  Problems problems = action_problems(action, input);
  problems.missing.clear();
  problems.throw_if_any(std::string(to_string(action)));
}

bool has_possible_point(const ActionInput& input) {
  if (!input.point) return false;
  Problems problems;
  check_point(input.point, problems);
  return problems.invalid.empty();
}

std::vector<TimerStart> intake_timers(Timestamp now, const WorkCalendar& calendar,
                                      const StageLimits& limits) {
  const TimeLimit limit = limits.of(StageTimer::kRegistration);
  return {TimerStart{StageTimer::kRegistration, calendar.deadline(now, limit), limit, 0}};
}

ActionOutcome apply_action(const CaseRecord& current, CaseAction action, const ActionInput& input,
                           const Actor& actor, std::optional<int> if_match,
                           const ActionReferences& references, Timestamp now,
                           const WorkCalendar& calendar) {
  std::optional<CheckResult> check_result;
  if (action == A::kCheck) check_result = parse_check_result(input.result.value_or(""));
  refuse_unless_allowed(current, action, check_result, input, actor, if_match, references, now);
  ActionOutcome outcome;
  outcome.updated = current;
  outcome.updated.status = *next_status(current.status, action, check_result);
  outcome.updated.version = current.version + 1;
  apply_effect(action, current, input, references, outcome);
  move_timers(action, check_result, current, references.stage_limits, now, calendar, outcome);
  return outcome;
}

}  // namespace gridcase::domain
