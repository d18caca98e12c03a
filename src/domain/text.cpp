#include "gridcase/domain/text.hpp"

namespace gridcase::domain {

bool has_control_characters(std::string_view text, bool line_breaks) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20) {
      if (line_breaks && (byte == '\t' || byte == '\n' || byte == '\r')) continue;
      return true;
    }
    if (byte == 0x7F) return true;
    // U+0080–U+009F are 0xC2 0x80–0x9F in UTF-8.
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return true;
    }
  }
  return false;
}

}  // namespace gridcase::domain
