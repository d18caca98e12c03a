#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>

namespace gridcase::http {

/// Writes JSON text straight into a string, for answers too large to build as a document first
/// (a report by cell: thousands of rows of forty members). The caller writes a well-formed
/// sequence (a key before each member value); commas are placed here. Strings must be UTF-8.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view{text}); }
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T number) {
    return integer(static_cast<long long>(number));
  }
  /// Shortest text that reads back as the same double; null when it is not finite.
  JsonWriter& value(double number);
  JsonWriter& null();
  /// The value, or null.
  template <typename T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : null();
  }

  /// key(name).value(v)
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }

 private:
  JsonWriter& integer(long long number);
  void separate();
  void quoted(std::string_view text);

  std::string& out_;
  bool comma_ = false;  // a value precedes at this level
};

}  // namespace gridcase::http
