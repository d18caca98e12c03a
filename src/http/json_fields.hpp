#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::http {

/// The one reader of the fields of a JSON request: typed reads of one object's members, each
/// marking its key as known, and finish() to refuse any other key. A null member counts as
/// absent. Every refusal is kMalformed (400) naming the field by its dotted path (`reporter.name`,
/// `working_periods[0].start`), with one wording per kind of problem, whichever request it is.
class JsonFields {
 public:
  /// Refuses `object` unless it is a JSON object. `path` names it in refusals: empty for the
  /// whole body (refused as `body`), else the member or item it is (`reporter`, `features[3]`).
  explicit JsonFields(const nlohmann::json& object, std::string path = {});
  /// Collects refusals in `problems` instead of throwing the first: a field refused reads as
  /// absent, so a caller can report every shape problem of a file at once.
  JsonFields(const nlohmann::json& object, std::string path,
             std::vector<domain::FieldError>& problems);

  std::optional<std::string> text(std::string_view key);
  std::optional<double> number(std::string_view key);
  std::optional<long long> integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  /// An RFC 3339 time (domain::parse_rfc3339).
  std::optional<domain::Timestamp> time(std::string_view key);
  /// An array whose items are all strings.
  std::optional<std::vector<std::string>> texts(std::string_view key);
  /// An array of any items (nullptr when absent); its items are read with item_path().
  const nlohmann::json* array(std::string_view key);
  /// A nested object, read by a reader of its own.
  std::optional<JsonFields> object(std::string_view key);

  // The same reads, refusing an absent field.
  std::string required_text(std::string_view key);
  domain::Timestamp required_time(std::string_view key);
  const nlohmann::json& required_array(std::string_view key);
  std::optional<JsonFields> required_object(std::string_view key);

  /// Refuses the first member no read asked for (unknown fields).
  void finish() const;

  /// The object read.
  const nlohmann::json& value() const { return object_; }
  /// The path of member `key`: `key`, or `<path>.key` inside a nested object.
  std::string path(std::string_view key) const;
  /// The path of item `index` of the array under `key`: `key[index]`.
  std::string item_path(std::string_view key, std::size_t index) const;

  /// Refuses `field` with `message` (throws, or collects): for checks beyond the field's type.
  void refuse(const std::string& field, const std::string& message) const;

 private:
  const nlohmann::json* find(std::string_view key);
  void refuse_absent(std::string_view key) const;

  const nlohmann::json& object_;
  std::string path_;
  std::vector<domain::FieldError>* problems_ = nullptr;
  std::vector<std::string> seen_;
};

}  // namespace gridcase::http
