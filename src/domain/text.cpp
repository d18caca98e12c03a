#include "gridcase/domain/text.hpp"

namespace gridcase::domain {

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t width = 0;
    if (lead < 0x80) {
      width = 1;
    } else if ((lead >> 5) == 0x6 && lead >= 0xC2) {
      width = 2;
    } else if ((lead >> 4) == 0xE) {
      width = 3;
    } else if ((lead >> 3) == 0x1E && lead <= 0xF4) {
      width = 4;
    } else {
      return std::nullopt;
    }
    if (i + width > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < width; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return std::nullopt;
    }
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF (PostgreSQL refuses them).
    const auto second = static_cast<unsigned char>(text[i + 1 < text.size() ? i + 1 : i]);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
      return std::nullopt;
    }
    i += width;
    ++count;
  }
  return count;
}

bool is_storable_text(std::string_view text) {
  return text.find('\0') == std::string_view::npos && utf8_length(text).has_value();
}

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
