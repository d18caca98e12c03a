#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::http {

/// Writes a small XML document (the Open311 answers): the UTF-8 declaration, then elements
/// holding either other elements or escaped text. Element names are the caller's constants;
/// text is anything, escaped here.
class XmlWriter {
 public:
  XmlWriter();

  /// <name>, closed by the matching close().
  XmlWriter& open(std::string_view name);
  XmlWriter& close();
  /// <name>text</name>, or <name/> for empty text.
  XmlWriter& element(std::string_view name, std::string_view text);
  XmlWriter& element(std::string_view name, const char* text) {
    return element(name, std::string_view{text});
  }
  XmlWriter& element(std::string_view name, const std::string& text) {
    return element(name, std::string_view{text});
  }
  /// The element with the value, or an empty one.
  XmlWriter& element(std::string_view name, const std::optional<std::string>& text) {
    return element(name, text ? std::string_view{*text} : std::string_view{});
  }

  /// The document; every element opened must have been closed.
  std::string finish();

 private:
  std::string out_;
  std::vector<std::string> open_;
};

/// Text as XML character data or an attribute value: & < > " ' as entities, and the control
/// characters XML 1.0 does not allow (all below U+0020 but tab, LF and CR) left out. The text is
/// UTF-8 and passed through otherwise.
std::string xml_escape(std::string_view text);

}  // namespace gridcase::http
