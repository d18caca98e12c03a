#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/open311.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::service {

/// A case as an Open311 GeoReport v2 reader sees it: public fields only (no reporter, no
/// description, no internal note, no officer), docs/integrations.md.
struct PublicRequest {
  std::string case_no;
  domain::CaseStatus status = domain::CaseStatus::kReceived;
  std::optional<std::string> category_key;
  std::optional<std::string> category_name;
  std::optional<std::string> status_notes;  // the note of the case's latest reply
  std::optional<std::string> agency;        // the name of the unit it is dispatched to
  domain::Timestamp requested_at{};
  domain::Timestamp updated_at{};
  std::optional<domain::Timestamp> expected_at;  // the handling deadline, when there is one
  std::optional<std::string> address;
  std::optional<double> lat;
  std::optional<double> lon;
  domain::Channel channel = domain::Channel::kWeb;
  /// The id of the report's first uploaded photo (never a link an integration filed: the server
  /// cannot vouch for it); the service keeps it only where domain::open311_shows_media allows,
  /// for `media_url`.
  std::optional<std::string> media;
};

/// A search (GET requests): by case numbers, or else by window, category and status; newest
/// first, at most `limit`.
struct PublicRequestQuery {
  std::vector<std::string> case_numbers;  // when given, the other filters are left aside
  std::optional<std::string> category_key;
  domain::Open311Window window;
  domain::Open311StatusFilter status;
  int limit = domain::kOpen311PageCap;
};

class Open311Repository {
 public:
  virtual ~Open311Repository() = default;
  virtual std::vector<PublicRequest> find_public(const PublicRequestQuery& query) = 0;
  /// Stores a token for the case numbered `case_no` (created just before).
  virtual void store_token(std::string_view token, std::string_view case_no,
                           domain::Timestamp now) = 0;
  /// The case number a token stands for, or nullopt.
  virtual std::optional<std::string> case_of_token(std::string_view token) = 0;
};

}  // namespace gridcase::service
