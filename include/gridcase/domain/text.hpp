#pragma once

#include <string_view>

namespace gridcase::domain {

/// True when `text` holds a control character (Unicode category Cc): U+0000–U+001F, U+007F or
/// U+0080–U+009F. `line_breaks` lets tab, line feed and carriage return through (free text
/// such as a description or a note); names, labels and addresses are one line. `text` must be
/// valid UTF-8 (every JSON string is).
bool has_control_characters(std::string_view text, bool line_breaks = false);

}  // namespace gridcase::domain
